import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { ALL_SCOPES, type Scope } from '../../core/routes';
import type { DemoUser } from '../demoAccounts';
import type { SandboxClock } from '../types';
import { isRegisteredRedirect, withQuery, type RegisteredClient } from './clients';
import { consentPage, errorPage, pageCsp, type ConsentView } from './consentPage';
import type { GrantStore } from './grants';
import { AUTHORIZE_PARAM_CAPS, CONSENT_FORM_CAPS, findTooLong, tooLongMessage } from './paramLimits';
import { readBody } from './params';
import { PendingConsents } from './pendingConsents';

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function sendHtml(res: ServerResponse, status: number, render: (nonce: string) => string): void {
  const nonce = randomBytes(16).toString('base64');
  const body = render(nonce);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': pageCsp(nonce),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // Not no-referrer: with it, browsers send `Origin: null` on the form POST, and the sandbox needs
    // the real origin to refuse forms posted from other sites. Cross-origin, no referrer leaves.
    'Referrer-Policy': 'same-origin',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

/**
 * `GET /authorize` shows the consent form; `POST /authorize` carries the person's decision.
 * The request's parameters stay server-side behind a one-time ticket, so the form cannot be
 * edited into a different client or redirect URI.
 */
export class AuthorizeFlow {
  private readonly _pending: PendingConsents;

  constructor(
    private readonly _clients: ReadonlyMap<string, RegisteredClient>,
    private readonly _users: readonly DemoUser[],
    private readonly _grants: GrantStore,
    clock: SandboxClock,
  ) {
    this._pending = new PendingConsents(clock);
  }

  get pendingCount(): number {
    return this._pending.size;
  }

  show(url: URL, res: ServerResponse): number {
    const q = url.searchParams;
    const tooLong = findTooLong(q, AUTHORIZE_PARAM_CAPS);
    if (tooLong) {
      sendHtml(res, 400, (n) => errorPage('Parameter too long', tooLongMessage(tooLong), n));
      return 400;
    }
    const one = (name: string): string | undefined =>
      q.getAll(name).length === 1 ? (q.get(name) ?? undefined) : undefined;
    const client = this._clients.get(one('client_id') ?? '');
    if (!client) {
      sendHtml(res, 400, (n) =>
        errorPage('Unknown client', 'client_id is missing, repeated or not a registered client of this sandbox.', n),
      );
      return 400;
    }
    const redirectUri = one('redirect_uri');
    if (!redirectUri || !isRegisteredRedirect(client, redirectUri)) {
      sendHtml(res, 400, (n) =>
        errorPage(
          'Redirect URI not registered',
          `redirect_uri is missing, repeated or not registered for ${client.name}.`,
          n,
        ),
      );
      return 400;
    }
    const state = one('state');
    const fail = (error: string, description: string): number => {
      redirect(res, withQuery(redirectUri, { error, error_description: description, state }));
      return 302;
    };
    if (q.getAll('state').length > 1) return fail('invalid_request', 'state was given more than once');
    const responseType = one('response_type');
    if (responseType !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    const challenge = one('code_challenge');
    const method = one('code_challenge_method');
    if (challenge !== undefined || method !== undefined) {
      if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
      if (!challenge || !PKCE_CHALLENGE.test(challenge))
        return fail('invalid_request', 'code_challenge must be the 43-character base64url SHA-256 of the verifier');
    }
    const requested = (one('scope') ?? '')
      .split(/[ ,+]+/)
      .filter((s): s is Scope => (client.scopes as readonly string[]).includes(s));
    const ticket = this._pending.open({
      client,
      redirectUri,
      state,
      codeChallenge: challenge,
      preselected: requested.length ? requested : client.scopes,
    });
    sendHtml(res, 200, (n) => consentPage(this._view(ticket), n));
    return 200;
  }

  async decide(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const tooLong = findTooLong(form, CONSENT_FORM_CAPS);
    if (tooLong) {
      sendHtml(res, 400, (n) => errorPage('Parameter too long', tooLongMessage(tooLong), n));
      return 400;
    }
    const ticket = form.get('ticket') ?? '';
    const pending = this._pending.get(ticket);
    if (!pending) {
      sendHtml(res, 400, (n) =>
        errorPage(
          'Consent expired',
          'This consent form was already used or has expired. Start the sign-in again from your application.',
          n,
        ),
      );
      return 400;
    }
    if (form.get('decision') !== 'approve') {
      this._pending.close(ticket);
      redirect(
        res,
        withQuery(pending.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied access',
          state: pending.state,
        }),
      );
      return 302;
    }
    const user = this._users.find((u) => u.userId === form.get('user_id'));
    const scopes = ALL_SCOPES.filter((s) => form.getAll('scope').includes(s) && pending.client.scopes.includes(s));
    if (!user || scopes.length === 0) {
      const problem = !user ? 'Choose a user to sign in as.' : 'Choose at least one kind of data to share, or deny.';
      sendHtml(res, 400, (n) => consentPage({ ...this._view(ticket), problem, selectedUser: user?.userId }, n));
      return 400;
    }
    this._pending.close(ticket);
    const code = this._grants.issueCode({
      clientId: pending.client.clientId,
      redirectUri: pending.redirectUri,
      userId: user.userId,
      scopes,
      codeChallenge: pending.codeChallenge,
    });
    redirect(res, withQuery(pending.redirectUri, { code, state: pending.state, user_id: user.userId }));
    return 302;
  }

  private _view(ticket: string): ConsentView {
    const p = this._pending.get(ticket)!;
    return {
      ticket,
      clientName: p.client.name,
      redirectUri: p.redirectUri,
      users: this._users,
      scopes: p.client.scopes,
      preselected: p.preselected,
    };
  }
}
