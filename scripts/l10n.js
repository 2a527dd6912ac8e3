/**
 * Writes the translation bundles from the source: l10n/bundle.l10n.json (every `l10n.t('…')` message
 * in src/, English) and the pseudo-locale files (qps-ploc) for l10n/ and package.nls.json, where every
 * string is wrapped in [!! … !!] with its {0} placeholders kept, so untranslated English stands out.
 *
 *   node scripts/l10n.js          write the bundles
 *   node scripts/l10n.js --check  exit 1 when a bundle is not what the source gives
 */
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const SOURCE = path.join(REPO, 'src');
/** `l10n.t(` (also `vscode.l10n.t(`) followed by one string literal, single- or double-quoted. */
const CALL = /\bl10n\.t\(\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g;
const PSEUDO_LOCALE = 'qps-ploc';
const ACCENTED = { a: 'ä', e: 'ë', i: 'ï', o: 'ö', u: 'ü', A: 'Ä', E: 'Ë', I: 'Ï', O: 'Ö', U: 'Ü' };

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function unquote(literal) {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, ch) => ({ n: '\n', t: '\t' })[ch] ?? ch);
}

/** Every message passed to l10n.t in src/, sorted. */
function extractMessages() {
  const messages = new Set();
  for (const file of sourceFiles(SOURCE)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(CALL)) messages.add(unquote(match[1]));
  }
  return [...messages].sort();
}

/** Accents the letters outside {placeholders} and wraps the whole, e.g. "Sign In" -> "[!! Sïgn Ïn !!]". */
function pseudo(text) {
  const accented = text
    .split(/(\{[^}]*\})/)
    .map((part, i) => (i % 2 ? part : part.replace(/[aeiouAEIOU]/g, (ch) => ACCENTED[ch])))
    .join('');
  return `[!! ${accented} !!]`;
}

function mapValues(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

/** File name (relative to the repo) -> the JSON text it should hold. */
function expectedFiles() {
  const bundle = Object.fromEntries(extractMessages().map((m) => [m, m]));
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.nls.json'), 'utf8'));
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'l10n/bundle.l10n.json': json(bundle),
    [`l10n/bundle.l10n.${PSEUDO_LOCALE}.json`]: json(mapValues(bundle, pseudo)),
    [`package.nls.${PSEUDO_LOCALE}.json`]: json(mapValues(manifest, pseudo)),
  };
}

function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [name, text] of Object.entries(expectedFiles())) {
    const file = path.join(REPO, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(name);
    if (!check) fs.writeFileSync(file, text);
  }
  if (check && stale.length) {
    console.error(`Not current (run npm run l10n): ${stale.join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
module.exports = { extractMessages, pseudo, expectedFiles, PSEUDO_LOCALE };
