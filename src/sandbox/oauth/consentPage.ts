import type { Scope } from '../../core/routes';

const SCOPE_TEXT: Record<Scope, string> = {
  quantity: 'Quantity data: steps, heart rate, energy, body measurements, vitals',
  sleep: 'Sleep sessions, stages and sleep metrics',
  workout: 'Workouts',
  profile: 'Profile, supplements, medications and lab results',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ConsentView {
  readonly ticket: string;
  readonly clientName: string;
  readonly redirectUri: string;
  readonly users: readonly { userId: string; name: string; description: string }[];
  readonly scopes: readonly Scope[];
  readonly preselected: readonly Scope[];
  readonly selectedUser?: string | undefined;
  readonly problem?: string;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}fieldset{border:1px solid #c8ccd0;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
label{display:block;margin:.35rem 0}small{color:#57606a;display:block;margin-left:1.6rem}
.problem{background:#ffebe9;border:1px solid #cf222e;padding:.5rem 1rem;border-radius:6px}
button{font-size:1rem;padding:.45rem 1.2rem;margin-right:.6rem;border-radius:6px;border:1px solid #8c959f;cursor:pointer}
button[value=approve]{background:#1f883d;color:#fff;border-color:#1a7f37}code{word-break:break-all}`;

function page(title: string, nonce: string, body: string): string {
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>${body}</body></html>`
  );
}

/** CSP for sandbox pages: no script at all; styles only with the per-response nonce; never framed. */
export function pageCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`;
}

/**
 * The consent page: a plain form (no script) so a person and a browser test use it alike.
 * Every value shown is escaped; the request itself stays server-side behind the ticket.
 */
export function consentPage(view: ConsentView, nonce: string): string {
  const selected = view.selectedUser ?? view.users[0]?.userId;
  const users = view.users
    .map((u) => {
      const checked = u.userId === selected;
      return (
        `<label><input type="radio" name="user_id" value="${escapeHtml(u.userId)}"${checked ? ' checked' : ''}> ` +
        `${escapeHtml(u.name)}<small>${escapeHtml(u.description)}</small></label>`
      );
    })
    .join('');
  const scopes = view.scopes
    .map(
      (s) =>
        `<label><input type="checkbox" name="scope" value="${s}"${view.preselected.includes(s) ? ' checked' : ''}> ` +
        `<strong>${s}</strong><small>${escapeHtml(SCOPE_TEXT[s])}</small></label>`,
    )
    .join('');
  const problem = view.problem ? `<p class="problem" role="alert">${escapeHtml(view.problem)}</p>` : '';
  return page(
    'Authorize access – OneTwentyOne sandbox',
    nonce,
    `<h1>Authorize <span id="client-name">${escapeHtml(view.clientName)}</span></h1>` +
      `<p>This is the local OneTwentyOne <strong>sandbox</strong>: the users below are synthetic. ` +
      `After you decide, your browser goes to <code id="redirect-uri">${escapeHtml(view.redirectUri)}</code>.</p>${problem}` +
      `<form method="post" action="/authorize"><input type="hidden" name="ticket" value="${escapeHtml(view.ticket)}">` +
      `<fieldset><legend>Sign in as</legend>${users}</fieldset>` +
      `<fieldset><legend>Allow access to</legend>${scopes}</fieldset>` +
      `<button type="submit" name="decision" value="approve">Approve</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

/** Shown instead of redirecting when the client or redirect URI cannot be trusted (RFC 6749 §4.1.2.1). */
export function errorPage(title: string, message: string, nonce: string): string {
  return page(
    `${title} – OneTwentyOne sandbox`,
    nonce,
    `<h1>${escapeHtml(title)}</h1><p class="problem" role="alert">${escapeHtml(message)}</p>` +
      `<p>You were not redirected, because the request could not be trusted.</p>`,
  );
}
