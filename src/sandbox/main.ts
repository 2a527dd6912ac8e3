import * as path from 'path';
import { dialectByName, DIALECT_NAMES, isDialectName, type DialectName } from './dialects';
import { startSandbox } from './server';
import type { SandboxHandle } from './types';

export { startSandbox } from './server';
export type {
  AdjustableClock,
  ClientRegistration,
  FaultConfig,
  FaultTarget,
  RequestLogEntry,
  RetainedCounts,
  SandboxClock,
  SandboxHandle,
  SandboxOptions,
  SandboxUserInfo,
} from './types';
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URIS, DEMO_USERS } from './demoAccounts';
export { DIALECT_NAMES, dialectByName, type DialectName, type SandboxDialect } from './dialects';

interface CliOptions {
  port: number;
  dailyLimit: number | undefined;
  latencyMs: number;
  json: boolean;
  /** Only when given: the standard dialect is the default. */
  dialect?: DialectName;
}

const USAGE = `Usage: node dist/sandbox.js [--port N] [--daily-limit N] [--latency-ms N] [--dialect ${DIALECT_NAMES.join('|')}] [--json]`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = { port: 0, dailyLimit: undefined, latencyMs: 0, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): number => {
      const raw = inline ?? argv[++i];
      const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n)) throw new Error(`${name} needs a whole number. ${USAGE}`);
      return n;
    };
    if (name === '--port') {
      out.port = value();
      if (out.port > 65535) throw new Error(`--port must be 0 to 65535. ${USAGE}`);
    } else if (name === '--daily-limit') {
      out.dailyLimit = value();
      if (out.dailyLimit < 1) throw new Error(`--daily-limit must be at least 1. ${USAGE}`);
    } else if (name === '--latency-ms') {
      out.latencyMs = value();
      if (out.latencyMs > 60_000) throw new Error(`--latency-ms must be 0 to 60000. ${USAGE}`);
    } else if (name === '--dialect') {
      const raw = inline ?? argv[++i];
      if (!isDialectName(raw)) throw new Error(`--dialect must be one of ${DIALECT_NAMES.join(', ')}. ${USAGE}`);
      out.dialect = raw;
    } else if (name === '--json') out.json = true;
    else if (name === '--help' || name === '-h') throw new Error(USAGE);
    else throw new Error(`Unknown option ${arg}. ${USAGE}`);
  }
  return out;
}

function startupJson(handle: SandboxHandle): string {
  return JSON.stringify({
    baseUrl: handle.baseUrl,
    clientId: handle.demoClient.clientId,
    clientSecret: handle.demoClient.clientSecret,
    redirectUris: handle.demoClient.redirectUris,
    users: handle.users.map((u) => ({ userId: u.userId, name: u.name, pat: u.pat })),
    // Named only when it is not the default, so the standard line stays as it always was.
    ...(handle.dialect === 'standard' ? {} : { dialect: handle.dialect }),
  });
}

function summary(handle: SandboxHandle): string {
  const users = handle.users.map((u) => `  ${u.name.padEnd(22)} ${u.userId}  PAT ${u.pat}`).join('\n');
  return [
    `OneTwentyOne sandbox listening on ${handle.baseUrl} (daily limit ${handle.dailyLimit.toLocaleString('en-US')} requests per user)`,
    ...(handle.dialect === 'standard' ? [] : [`Dialect ${handle.dialect}: ${dialectByName(handle.dialect).summary}`]),
    '',
    `Demo OAuth client  id ${handle.demoClient.clientId}`,
    `                   secret ${handle.demoClient.clientSecret}`,
    `                   redirect URIs ${handle.demoClient.redirectUris.join(', ')}`,
    'Demo users (synthetic data; these tokens only work against this sandbox):',
    users,
    '',
    `Try: curl -H "Authorization: Bearer ${handle.users[0]?.pat}" "${handle.baseUrl}/api/v1/quantity/${handle.users[0]?.userId}/stepCount?pageSize=3"`,
    `Consent page: ${handle.baseUrl}/authorize?response_type=code&client_id=${handle.demoClient.clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1/callback')}&state=demo`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}

async function runCli(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  // A real API's round trip, for trying (and benchmarking) the explorer under realistic latency.
  const handle = await startSandbox({
    port: options.port,
    dailyLimit: options.dailyLimit,
    dialect: options.dialect,
    roundTripMs: options.latencyMs,
  });
  console.log(options.json ? startupJson(handle) : summary(handle));
  const stop = (): void => {
    void handle.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Only the dist/sandbox.js bundle is the CLI: a test or bench bundle that includes this file and runs
// as a script must not start a sandbox of its own.
if (require.main === module && path.basename(__filename) === 'sandbox.js') {
  runCli().catch((e: unknown) => {
    console.error(`The sandbox could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
