/**
 * Sending a person's health data to a model is the user's decision. A data tool asks through its
 * `prepareInvocation` confirmation (VS Code shows it, or skips it when the user allowed the tool for
 * the session), and its `invoke` sends a request only for a plan it offered for confirmation: a call
 * that was never offered (an input that looked invalid when prepared, an account signed in between)
 * is refused instead of run unasked.
 */

/** How long an offered plan stays runnable: the user may take a while to answer. */
const OFFER_LIFETIME_MS = 30 * 60_000;
const MAX_OFFERS = 50;

interface Offer {
  readonly at: number;
  /** What the user was asked, echoed in the result so the model knows what was agreed to. */
  readonly asked: string;
}

export class ConsentLedger {
  private readonly _offers = new Map<string, Offer[]>();

  constructor(private readonly _now: () => number = Date.now) {}

  /** `prepareInvocation` asked the user to confirm this plan. */
  offer(planKey: string, asked: string): void {
    const now = this._now();
    const live = (this._offers.get(planKey) ?? []).filter((o) => now - o.at < OFFER_LIFETIME_MS);
    this._offers.delete(planKey);
    this._offers.set(planKey, [...live, { at: now, asked }]);
    while (this._offers.size > MAX_OFFERS) {
      const oldest = this._offers.keys().next().value;
      if (oldest === undefined) break;
      this._offers.delete(oldest);
    }
  }

  /** `invoke` runs only a plan that was offered, each offer once; returns what the user was asked. */
  take(planKey: string): string | undefined {
    const now = this._now();
    const live = (this._offers.get(planKey) ?? []).filter((o) => now - o.at < OFFER_LIFETIME_MS);
    const taken = live.shift();
    if (live.length) this._offers.set(planKey, live);
    else this._offers.delete(planKey);
    return taken?.asked;
  }
}

export const NOT_CONFIRMED =
  'Nothing was sent: this call was not offered to the user for confirmation (its input or the signed-in accounts changed after it was prepared). Call the tool again.';
