/**
 * Payloads the client must render as inert text and parse without harm (docs/reliability.md, "Untrusted input").
 * Kept as data, never interpreted by the sandbox itself.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '<img src=x onerror="document.title=\'pwned\'">',
  '</script><script>document.title="pwned"</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(document.domain)',
  "{{constructor.constructor('alert(1)')()}} ${alert(1)} <%= 7*7 %>",
  '\u202Egnp.exe\u202C evil \u202Bright-to-left\u202C \u2066isolate\u2069',
  'zero\u200Bwidth\u200Djoiner\uFEFFbom',
  '👩‍👩‍👧‍👦 🏳️‍🌈 e\u0301 ﷽ 𝕳𝖊𝖆𝖑𝖙𝖍',
  'line\nbreak\r\ncarriage\ttab\u0000nul\u0007bell',
  'lone surrogate \uD800 here',
  '<style>*{display:none}</style><iframe src="https://evil.example"></iframe>',
  '<a href="command:workbench.action.terminal.new">click</a>',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E &lt;b&gt;escaped&lt;/b&gt;',
];

/** A string of `length` characters: 'A's with a payload at both ends. */
export function longString(length: number): string {
  const edge = '<b>long</b>';
  return edge + 'A'.repeat(Math.max(0, length - 2 * edge.length)) + edge;
}

/** JSON text of an object nested `depth` levels deep, written directly (JSON.stringify would recurse). */
export function deeplyNestedJson(depth: number): string {
  return '{"level":'.repeat(depth) + '"bottom"' + '}'.repeat(depth);
}

/** JSON text with keys that pollute prototypes if a client merges them naively. */
export const PROTOTYPE_KEYS_JSON =
  '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"toString":"not a function"},"hasOwnProperty":"shadowed"}';

export function hostileAt(index: number): string {
  return HOSTILE_STRINGS[index % HOSTILE_STRINGS.length]!;
}
