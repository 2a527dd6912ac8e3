import * as http from 'http';
import type { AddressInfo } from 'net';
import { LOOPBACK_CALLBACK_PATH } from '../../core/routes';
import type { CallbackOutcome } from '../../core/auth/authorizationFlows';
import { l10n } from '../l10n';

/**
 * A one-sign-in HTTP server on 127.0.0.1 (an IP literal, any free port) that receives the
 * authorization redirect, the way native apps receive it. It lives only as long as its sign-in. The pages
 * it answers with are fixed text: nothing from the request is echoed back.
 */
export class LoopbackServer {
  private constructor(
    private readonly _server: http.Server,
    readonly port: number,
  ) {}

  /** The redirect URI to register: `http://127.0.0.1:<port>/callback`. */
  get redirectUri(): string {
    return `http://127.0.0.1:${this.port}${LOOPBACK_CALLBACK_PATH}`;
  }

  static async start(onCallback: (params: URLSearchParams) => CallbackOutcome): Promise<LoopbackServer> {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || url.pathname !== LOOPBACK_CALLBACK_PATH) {
        answer(res, 404, l10n.t('Not found'), l10n.t('This address only receives OneTwentyOne sign-in responses.'));
        return;
      }
      const outcome = onCallback(url.searchParams);
      if (outcome === 'completed') {
        answer(res, 200, l10n.t('Signed in'), l10n.t('You can close this tab and return to VS Code.'));
      } else if (outcome === 'failed') {
        answer(res, 200, l10n.t('Sign-in did not complete'), l10n.t('Return to VS Code to see why.'));
      } else {
        answer(
          res,
          400,
          l10n.t('Not expected'),
          l10n.t('This sign-in response does not match a sign-in in progress and was ignored.'),
        );
      }
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new LoopbackServer(server, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    this._server.closeIdleConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }
}

function answer(res: http.ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
      '<style>body{font-family:system-ui,sans-serif;margin:3em;max-width:40em}</style></head>' +
      `<body><h1>${title}</h1><p>${text}</p></body></html>`,
  );
}
