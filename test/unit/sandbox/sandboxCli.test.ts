import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCliArgs } from '../../../src/sandbox/main';

/** The CLI as shipped: src/sandbox/main.ts bundled to a file named sandbox.js, run by Node. */
suite('sandbox: CLI', () => {
  let bundle: string;
  suiteSetup(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cli-'));
    bundle = path.join(dir, 'sandbox.js');
    const repo = path.resolve(__dirname, '..', '..', '..', '..');
    await esbuild.build({
      entryPoints: [path.join(repo, 'src', 'sandbox', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      logLevel: 'error',
    });
  });
  suiteTeardown(() => fs.rmSync(path.dirname(bundle), { recursive: true, force: true }));

  test('options: --port, --daily-limit, --json, = forms; bad values are refused', () => {
    assert.deepStrictEqual(parseCliArgs([]), { port: 0, dailyLimit: undefined, latencyMs: 0, json: false });
    assert.deepStrictEqual(parseCliArgs(['--port', '4010', '--daily-limit=5', '--latency-ms', '150', '--json']), {
      port: 4010,
      dailyLimit: 5,
      latencyMs: 150,
      json: true,
    });
    for (const bad of [
      ['--port'],
      ['--port', 'x'],
      ['--port', '70000'],
      ['--daily-limit', '0'],
      ['--daily-limit', '-3'],
      ['--latency-ms', '-1'],
      ['--latency-ms', '90000'],
      ['--verbose'],
    ]) {
      assert.throws(() => parseCliArgs(bad), /Usage/, bad.join(' '));
    }
  });

  test('--json prints one line with baseUrl, demo client and users, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [bundle, '--json', '--port', '0', '--daily-limit', '7', '--latency-ms', '300'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const info = JSON.parse(line) as {
        baseUrl: string;
        clientId: string;
        clientSecret: string;
        redirectUris: string[];
        users: { userId: string; name: string; pat: string }[];
      };
      assert.deepStrictEqual(Object.keys(info), ['baseUrl', 'clientId', 'clientSecret', 'redirectUris', 'users']);
      assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(info.redirectUris.includes('http://127.0.0.1/callback'));
      assert.deepStrictEqual(
        info.users.map((u) => u.name),
        ['Ada (demo)', 'Five-year heart rate', 'Hostile strings', 'Empty'],
      );
      const sent = Date.now();
      const res = await fetch(`${info.baseUrl}/api/v1/quantity/${info.users[0]!.userId}/stepCount?pageSize=1`, {
        headers: { Authorization: `Bearer ${info.users[0]!.pat}` },
      });
      assert.strictEqual(res.status, 200);
      assert.ok(Date.now() - sent >= 290, '--latency-ms delays each data response');
      assert.strictEqual(res.headers.get('x-ratelimit-limit'), '7');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.strictEqual(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('without --json: a human summary with the URL, the demo client and a curl line', async () => {
    const child = spawn(process.execPath, [bundle], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const text = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Ctrl+C')) resolve(out);
        });
      });
      assert.match(text, /^OneTwentyOne sandbox listening on http:\/\/127\.0\.0\.1:\d+ /);
      assert.ok(text.includes('4f34fb13-f5b0-4546-bf97-717afc4984a4'));
      assert.match(text, /curl -H "Authorization: Bearer sbx_pat_ada_/);
    } finally {
      child.kill('SIGINT');
    }
  });

  test('a bad option exits 2 with the usage line', () => {
    const bad = spawnSync(process.execPath, [bundle, '--nope'], { encoding: 'utf8' });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /Unknown option --nope\. Usage: node dist\/sandbox\.js/);
  });

  test('a bundle that merely includes main.ts (like a test or bench) does not start the CLI', async () => {
    const other = path.join(path.dirname(bundle), 'notTheCli.js');
    fs.copyFileSync(bundle, other);
    const run = spawnSync(process.execPath, [other, '--json'], { encoding: 'utf8', timeout: 10_000 });
    assert.strictEqual(run.status, 0);
    assert.strictEqual(run.stdout, '');
  });
});
