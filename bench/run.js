// Runs every benchmark (out/bench/**/*.bench.js), each in its own Node process, one after another, and
// prints their output. `npm run bench -- activation b10` runs only those whose file name contains a word.
// Builds nothing: `npm run bench` builds (production bundles, then the bench files).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, '..', 'out', 'bench');
const only = process.argv.slice(2);

const benches = (fs.existsSync(OUT) ? fs.readdirSync(OUT, { recursive: true }) : [])
  .map(String)
  .filter((file) => file.endsWith('.bench.js'))
  // out/ is never cleaned (builds run side by side): skip what is left of a renamed or deleted bench.
  .filter((file) => fs.existsSync(path.join(__dirname, file.replace(/\.js$/, '.ts'))))
  .filter(
    (file) => only.length === 0 || only.some((word) => path.basename(file).toLowerCase().includes(word.toLowerCase())),
  )
  .sort();

if (benches.length === 0) {
  console.error(
    `No benchmark in ${path.relative(process.cwd(), OUT)}${only.length ? ` matches ${only.join(', ')}` : ''}. Run \`npm run bench\`, which builds them.`,
  );
  process.exit(1);
}

const failed = [];
for (const file of benches) {
  console.log(`\n=== ${file.replace(/\.bench\.js$/, '')} ===`);
  const started = Date.now();
  const { status, signal } = spawnSync(process.execPath, ['--expose-gc', path.join(OUT, file)], { stdio: 'inherit' });
  console.log(
    `(${((Date.now() - started) / 1000).toFixed(1)} s${status ? `, exit ${status}` : ''}${signal ? `, ${signal}` : ''})`,
  );
  if (status !== 0) failed.push(file);
}
console.log(
  `\n${benches.length - failed.length} of ${benches.length} benchmarks met their targets${failed.length ? `; missed or failed: ${failed.join(', ')}` : ''}`,
);
process.exitCode = failed.length ? 1 : 0;
