import { redactSecrets } from '../../core/api/errors';
import type { Logger } from '../../core/ports';
import type { LogChannel } from './logChannel';

/**
 * The core `Logger` over the extension's LogOutputChannel: the one logging path of every area.
 * Callers pass only routes, statuses, counts and codes; as a backstop anything shaped like a
 * credential is masked before it reaches the channel (docs/reliability.md, "Tokens and secrets").
 */
export class OutputChannelLogger implements Logger {
  constructor(
    private readonly _channel: LogChannel,
    private readonly _prefix = '',
  ) {}

  trace(message: string): void {
    this._channel.trace(this._format(message));
  }
  debug(message: string): void {
    this._channel.debug(this._format(message));
  }
  info(message: string): void {
    this._channel.info(this._format(message));
  }
  warn(message: string): void {
    this._channel.warn(this._format(message));
  }
  error(message: string): void {
    this._channel.error(this._format(message));
  }

  /** A logger whose lines start with `[area]`. */
  scoped(area: string): OutputChannelLogger {
    return new OutputChannelLogger(this._channel, `${this._prefix}[${area}] `);
  }

  private _format(message: string): string {
    return this._prefix + maskSecrets(message);
  }
}

/**
 * An authorization code (`?code=…`, `code: …`): a secret in a log line, though the core's masking
 * keeps `code` in error texts, where it names an error.
 */
const AUTHORIZATION_CODE = /\b(code)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;

/** The core's credential masking (`redactSecrets`), and authorization codes. */
export function maskSecrets(text: string): string {
  return redactSecrets(text).replace(AUTHORIZATION_CODE, '$1$2[redacted]');
}
