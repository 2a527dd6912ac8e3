import type * as vscode from 'vscode';
import type { Logger } from '../../core/ports';

/**
 * The core `Logger` over the extension's LogOutputChannel. Callers pass only routes, statuses,
 * counts and codes; as a backstop anything shaped like a bearer token or a token parameter is
 * masked before it reaches the channel (reliability case 47).
 */
export class OutputChannelLogger implements Logger {
  constructor(
    private readonly _channel: vscode.LogOutputChannel,
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

const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
const TOKEN_PARAMETER =
  /\b(access_token|refresh_token|client_secret|code_verifier|code|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;

/** Masks bearer values and token-like parameters in a log line. */
export function maskSecrets(text: string): string {
  return text.replace(BEARER, '$1 ***').replace(TOKEN_PARAMETER, '$1$2***');
}
