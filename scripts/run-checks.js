// The static checks as a test tier: the type checks and lint (ESLint, then Prettier's check), each one
// counted as a test, ending with the tier's closing line `N passed, N failed`.
const { spawnSync } = require('child_process');

const CHECKS = [
  ['type checks', ['run', '--silent', 'check-types']],
  ['lint', ['run', '--silent', 'lint']],
];

let passed = 0;
let failed = 0;
for (const [name, args] of CHECKS) {
  const started = Date.now();
  const result = spawnSync('npm', args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status === 0) {
    passed += 1;
    console.log(`  ✔ ${name} (${seconds} s)`);
  } else {
    failed += 1;
    console.log(`  ✘ ${name} failed (exit ${result.status ?? result.signal}, ${seconds} s)`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
