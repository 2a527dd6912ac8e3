/**
 * Fixed identities of the sandbox: the demo OAuth client and the demo users with their personal
 * access tokens. Light on purpose (no zod, no undici): the extension imports it to talk to a sandbox
 * started elsewhere with `npm run sandbox`. These credentials only ever work against the sandbox.
 */

/** The docs' own example client id, so the documented authorize URL works against the sandbox. */
export const DEMO_CLIENT_ID = '4f34fb13-f5b0-4546-bf97-717afc4984a4';
export const DEMO_CLIENT_SECRET = 'sbx_cs_demo_7f3c9a2e4b1d4e6f8a0c';
export const DEMO_CLIENT_NAME = 'OneTwentyOne API Explorer (demo client)';

/**
 * Loopback entries without a port match any port (RFC 8252 §7.3); `code-oss://` is code-server's
 * URI scheme for the same extension callback.
 */
export const DEMO_REDIRECT_URIS: readonly string[] = [
  'vscode://onetwentyone.onetwentyone-explorer/auth/callback',
  'code-oss://onetwentyone.onetwentyone-explorer/auth/callback',
  'http://127.0.0.1/callback',
  'http://localhost/callback',
];

export type DemoUserKind = 'regular' | 'fiveYearHeartRate' | 'hostile' | 'empty';

export interface DemoUser {
  readonly userId: string;
  readonly name: string;
  readonly pat: string;
  readonly description: string;
  readonly kind: DemoUserKind;
}

/** The docs' example user id is Ada's, so every documented example URL works verbatim. */
export const ADA_USER_ID = '123e4567-e89b-12d3-a456-426614174000';
export const FIVE_YEAR_USER_ID = '5e1f0c4a-2b7d-4c8e-9a31-6f5d2e8b7a10';
export const HOSTILE_USER_ID = 'd0d0cafe-0bad-4bad-8bad-c0ffee000666';
export const EMPTY_USER_ID = '00000000-0000-4000-8000-000000000000';

export const DEMO_USERS: readonly DemoUser[] = [
  {
    userId: ADA_USER_ID,
    name: 'Ada (demo)',
    kind: 'regular',
    pat: 'sbx_pat_ada_3b8e1f6c9d2a4057',
    description:
      'Everything since December 2021: steps, heart rate, sleep with stages, workouts, supplements, medications, labs',
  },
  {
    userId: FIVE_YEAR_USER_ID,
    name: 'Five-year heart rate',
    kind: 'fiveYearHeartRate',
    pat: 'sbx_pat_5yr_a41c7e90b2d35f68',
    description: 'Five years of per-minute heart rate (2,629,800 samples, 263 pages of 10,000)',
  },
  {
    userId: HOSTILE_USER_ID,
    name: 'Hostile strings',
    kind: 'hostile',
    pat: 'sbx_pat_hostile_0e5d9b7c1a3f8642',
    description:
      'Strings with HTML and script payloads, right-to-left overrides, huge values, deep nesting and __proto__ keys',
  },
  {
    userId: EMPTY_USER_ID,
    name: 'Empty',
    kind: 'empty',
    pat: 'sbx_pat_empty_6d2f0a8e4c7b1935',
    description: 'A signed-up user with no data at all',
  },
];
