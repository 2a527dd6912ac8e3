/**
 * A token bucket against message floods from the webview: its page is untrusted input
 * (docs/reliability.md, "Untrusted input"), and a burst must not starve the extension host.
 */
export class FloodGate {
  private _tokens: number;
  private _last = Date.now();
  dropped = 0;

  constructor(
    private readonly _capacity: number,
    private readonly _perSecond: number,
  ) {
    this._tokens = _capacity;
  }

  take(): boolean {
    const now = Date.now();
    this._tokens = Math.min(this._capacity, this._tokens + ((now - this._last) / 1000) * this._perSecond);
    this._last = now;
    if (this._tokens < 1) {
      this.dropped++;
      return false;
    }
    this._tokens -= 1;
    return true;
  }
}
