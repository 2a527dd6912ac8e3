/**
 * Drives the sandbox's consent page over plain HTTP, as the browser form would: GET the authorize
 * URL, read the one-time ticket, POST the decision. Returns the redirect `Location`.
 * (The e2e tests click the same page in Chromium.)
 */
export async function submitConsent(
  authorizeUrl: string,
  choice: { readonly decision: 'approve' | 'deny'; readonly userId?: string; readonly scopes?: readonly string[] },
): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}`);
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1];
  if (!ticket) throw new Error('The consent page has no ticket');
  const form = new URLSearchParams({ ticket, decision: choice.decision });
  if (choice.userId) form.set('user_id', choice.userId);
  for (const scope of choice.scopes ?? []) form.append('scope', scope);
  const answer = await fetch(new URL('/authorize', authorizeUrl), {
    method: 'POST',
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  await answer.arrayBuffer();
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location)
    throw new Error(`The consent form answered ${answer.status} without a redirect`);
  return location;
}
