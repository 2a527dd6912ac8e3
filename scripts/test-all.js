// Runs the static checks and every test tier in turn and ends with one total closing line `N passed, N failed`.
// Each tier ends with its own closing line (its total); this sums the tiers. Exit code is non-zero if any tier failed.
// The checks tier (type checks, then lint) counts each check as one test, so a newcomer's `npm test` fails exactly
// where CI does.
//   TIERS=checks,unit,integration,e2e (default: all)
const { spawn } = require('child_process');

const tiers = (process.env.TIERS || 'checks,unit,integration,e2e')
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const commands = {
  checks: ['node', [require('path').join(__dirname, 'run-checks.js')]],
  unit: ['npm', ['run', '--silent', 'test:unit']],
  integration: ['npm', ['run', '--silent', 'test:integration']],
  e2e: ['npm', ['run', '--silent', 'test:e2e']],
};

function run(name) {
  const [cmd, args] = commands[name];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let passed = 0;
    let failed = 0;
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        // A tier's last closing line is its total (the integration tier prints one per VS Code version first).
        const m = /^(?:\S+: )?(\d+) passed, (\d+) failed/.exec(line.trim());
        if (m) {
          passed = Number(m[1]);
          failed = Number(m[2]);
        }
      }
    });
    child.on('close', (code) => resolve({ name, code, passed, failed }));
  });
}

(async () => {
  const results = [];
  for (const tier of tiers) {
    if (!commands[tier]) {
      console.error(`Unknown tier ${tier}`);
      process.exit(2);
    }
    console.log(`\n=== ${tier} ===`);
    results.push(await run(tier));
  }
  console.log('\n=== summary ===');
  let passed = 0;
  let failed = 0;
  let broken = false;
  for (const r of results) {
    console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed (exit ${r.code})`);
    passed += r.passed;
    failed += r.failed;
    // A tier that exited non-zero without reporting a failure (crash, timeout) still fails the run.
    if (r.code !== 0 && r.failed === 0) {
      failed += 1;
      broken = true;
      console.log(`${r.name}: exited ${r.code} without a failing test: counted as 1 failure`);
    }
  }
  if (broken) console.log('');
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0);
})();
