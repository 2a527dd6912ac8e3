import { randomBytes } from 'crypto';
import type { Scope } from '../../core/routes';
import { BoundedMap } from '../boundedMap';
import type { SandboxClock } from '../types';
import type { RegisteredClient } from './clients';

export interface PendingConsent {
  readonly client: RegisteredClient;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly preselected: readonly Scope[];
}

const CONSENT_TTL_MS = 30 * 60_000;

/**
 * Most consent forms open at once. `GET /authorize` needs no credential, so anything on the machine
 * (or a web page, through an image tag) can open forms in a loop; past this the oldest is forgotten,
 * and a person who left a form open that long starts the sign-in again.
 */
export const MAX_PENDING_CONSENTS = 1_000;

/** Open consent forms by their one-time ticket; the form itself carries nothing but the ticket. */
export class PendingConsents {
  private readonly _byTicket: BoundedMap<string, PendingConsent & { readonly expiresAt: number }>;

  constructor(private readonly _clock: SandboxClock) {
    this._byTicket = new BoundedMap(MAX_PENDING_CONSENTS, _clock, (p) => p.expiresAt);
  }

  get size(): number {
    return this._byTicket.size;
  }

  open(consent: PendingConsent): string {
    const ticket = randomBytes(18).toString('base64url');
    this._byTicket.set(ticket, { ...consent, expiresAt: this._clock.now() + CONSENT_TTL_MS });
    return ticket;
  }

  /** The consent behind a ticket, if it is still open and unexpired. */
  get(ticket: string): PendingConsent | undefined {
    return this._byTicket.get(ticket);
  }

  close(ticket: string): void {
    this._byTicket.delete(ticket);
  }
}
