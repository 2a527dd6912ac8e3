import { z } from 'zod';
import type { CommandId } from './commandIds';
import type { ErrorReporter } from './errorReporter';

/**
 * A command as its area declares it: the arguments it accepts, as a zod tuple checked when the
 * command runs (menus, keybindings, links and other extensions pass anything), and its handler,
 * which receives them parsed. Callers see the tuple's input type (see `executeCommand`).
 */
export interface CommandSpec<Args extends z.ZodTuple = z.ZodTuple, Result = unknown> {
  readonly args: Args;
  // A method, so that specs of every argument shape fit one record (checked per command by `command`).
  run(...args: z.output<Args>): Result;
  /** What the command does, for the log and the error message ("Sign-in failed: …"). */
  readonly action: string;
}

/** Declares a command: `items` are the schemas of its arguments, in order (`.optional()` for those a caller may leave out). */
export function command<const Items extends readonly z.ZodType[], Result>(
  action: string,
  items: Items,
  run: (...args: z.output<z.ZodTuple<Items, null>>) => Result,
): CommandSpec<z.ZodTuple<Items, null>, Result> {
  return { action, args: z.tuple(items as unknown as []) as unknown as z.ZodTuple<Items, null>, run };
}

/** The signature callers of a command see: what its schema accepts, what it resolves to. */
export type SignatureOf<Spec> =
  Spec extends CommandSpec<infer Args, infer Result>
    ? (...args: z.input<Args>) => Promise<Awaited<Result> | undefined>
    : never;

/** A command as VS Code calls it: arguments of unknown shape. */
export type CommandInvoker = (...args: unknown[]) => Promise<unknown>;

/**
 * The invokers VS Code calls: arguments are checked against the command's schema (extra ones,
 * such as a tree's selection, are ignored), and a failure is reported in the user's words and
 * ends as `undefined`, as a cancelled command does.
 */
export function commandInvokers<Specs extends { readonly [K in CommandId]: CommandSpec }>(
  specs: Specs,
  reporter: ErrorReporter,
): Record<CommandId, CommandInvoker> {
  const invokers = {} as Record<CommandId, CommandInvoker>;
  for (const id of Object.keys(specs) as CommandId[]) invokers[id] = commandInvoker(id, specs[id], reporter);
  return invokers;
}

/** One command's invoker (see `commandInvokers`). */
export function commandInvoker(id: CommandId, spec: CommandSpec, reporter: ErrorReporter): CommandInvoker {
  return async (...raw: unknown[]) => {
    try {
      const parsed = spec.args.safeParse(raw.slice(0, spec.args.def.items.length));
      if (!parsed.success) throw new CommandArgumentError(id, parsed.error);
      return await spec.run(...parsed.data);
    } catch (error) {
      reporter.report(spec.action, error);
      return undefined;
    }
  };
}

/** A command was called with arguments its schema refuses (a script, a keybinding, another extension). */
export class CommandArgumentError extends Error {
  override readonly name = 'CommandArgumentError';

  constructor(
    readonly commandId: CommandId,
    issues: z.ZodError,
  ) {
    super(`${commandId} does not accept these arguments: ${summarize(issues)}`);
  }
}

/** Paths and expectations only: never the values given (they may hold a token). */
function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `argument ${issue.path.map(String).join('.') || '(all)'}: ${issue.code}`)
    .join('; ');
}
