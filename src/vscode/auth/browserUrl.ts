/**
 * code-server maps every `http://127.0.0.1:<port>/…` or `http://localhost:<port>/…` that
 * `openExternal` opens to its own `/proxy/<port>/` root, dropping the path and query, which breaks
 * a sandbox authorize URL; other loopback spellings (`127.1`) trigger the untrusted-site prompt.
 * Its port matcher is case-sensitive while the trusted-localhost check is not, so `LOCALHOST`
 * reaches the sandbox intact and without a prompt (browsers lower-case host names).
 */
export function avoidWebPortMapping(url: string): string {
  const parsed = new URL(url);
  if ((parsed.hostname !== '127.0.0.1' && parsed.hostname !== 'localhost') || !parsed.port) return url;
  return `${parsed.protocol}//LOCALHOST:${parsed.port}${parsed.pathname}${parsed.search}`;
}
