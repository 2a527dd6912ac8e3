/**
 * "Copy as curl" and "Copy as TypeScript fetch". Without a token the snippets read it from the
 * ONETWENTYONE_TOKEN environment variable, so what is copied by default never holds a secret.
 * The host alone calls these with a real token, after the user confirms, and only for the clipboard.
 */

export const TOKEN_ENV_VAR = 'ONETWENTYONE_TOKEN';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(url: string, token?: string): string {
  const auth =
    token === undefined ? `"Authorization: Bearer $${TOKEN_ENV_VAR}"` : shellQuote(`Authorization: Bearer ${token}`);
  return `curl --fail-with-body -sS ${shellQuote(url)} \\\n  -H 'Accept: application/json' \\\n  -H ${auth}`;
}

export function toFetch(url: string, token?: string): string {
  const auth = token === undefined ? `\`Bearer \${process.env.${TOKEN_ENV_VAR}}\`` : JSON.stringify(`Bearer ${token}`);
  return [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    `  headers: { Accept: 'application/json', Authorization: ${auth} },`,
    `});`,
    `if (!response.ok) throw new Error(\`HTTP \${response.status}: \${await response.text()}\`);`,
    `const body: { pagination?: unknown; limit?: unknown; data: unknown } = await response.json();`,
  ].join('\n');
}
