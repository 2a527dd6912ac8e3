/**
 * A schema built the first time anything reads it, then kept: a module that declares schemas
 * costs nothing when it loads (docs/performance.md, B11: every module of the services bundle loads
 * with the first view or session query, and building zod schemas is most of what loading costs).
 *
 * What it returns stands in for the schema everywhere (its methods, `z.infer`, inside other schemas):
 * every property read is the built schema's own, so `safeParse`, `check` and zod's `_zod` internals
 * behave exactly as on the schema itself.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const built = (): T => (schema ??= build());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(built(), key) as unknown,
    has: (_, key) => Reflect.has(built(), key),
    set: (_, key, value) => Reflect.set(built(), key, value),
  });
}
