/**
 * Writes the translation bundles from the source: l10n/bundle.l10n.json (every `l10n.t('…')` message
 * in src/, and every catalogue text marked `localizable('…')` (src/core/localizable.ts), English) and the pseudo-locale files (qps-ploc) for l10n/ and package.nls.json, where every
 * string is wrapped in [!! … !!] with its {0} placeholders kept, so untranslated English stands out.
 *
 * It also moves any literal user-visible text of package.json (titles, names, setting descriptions…)
 * into package.nls.json as a %key%, so the manifest can be translated too.
 *
 *   node scripts/l10n.js          localize package.json and write the bundles
 *   node scripts/l10n.js --check  exit 1 when a bundle is not what the source gives
 */
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const SOURCE = path.join(REPO, 'src');
/** `l10n.t(` (also `vscode.l10n.t(`) followed by one string literal, single- or double-quoted. */
const CALL = /\bl10n\.t\(\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g;
/** `localizable(` followed by one string literal, quoted the same ways: the core's marked catalogue texts. */
const MARKER = /\blocalizable\(\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g;
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

/** Every message passed to l10n.t or marked localizable in src/, sorted. */
function extractMessages() {
  const messages = new Set();
  for (const file of sourceFiles(SOURCE)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const pattern of [CALL, MARKER]) for (const match of text.matchAll(pattern)) messages.add(unquote(match[1]));
  }
  return [...messages].sort();
}

/**
 * What pseudo-localization must leave as it is: {0} placeholders, codicons ("$(sign-in)") and
 * environment variables ("$ONETWENTYONE_TOKEN"), which are names, not words.
 */
const KEPT = /(\{[^}]*\}|\$\([\w~-]+\)|\$[A-Z][A-Z0-9_]*\b)/;
/** A Markdown link, "[text](command:…)": its target must stay as it is. */
const LINK = /(\[[^\]]+\]\([^)\s]*\))/;
const LINK_PARTS = /^\[([^\]]+)\](\([^)\s]*\))$/;

function accent(text) {
  return text
    .split(KEPT)
    .map((part, i) => (i % 2 ? part : part.replace(/[aeiouAEIOU]/g, (ch) => ACCENTED[ch])))
    .join('');
}

/**
 * Accents the letters and wraps the text, e.g. "Sign In" -> "[!! Sïgn Ïn !!]": each line, and within
 * a line each stretch between Markdown links. A link keeps its form with its text accented only:
 * VS Code's link syntax ends a link's text at the first "]", so a wrapper around it would break it.
 */
function pseudo(text) {
  const wrap = (part) => {
    const link = LINK_PARTS.exec(part);
    if (link) return `[${accent(link[1])}]${link[2]}`;
    return part.trim() ? `[!! ${accent(part)} !!]` : part;
  };
  return text
    .split('\n')
    .map((line) => (LINK.test(line) ? line.split(LINK).map(wrap).join('') : `[!! ${accent(line)} !!]`))
    .join('\n');
}

function mapValues(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

/**
 * Every user-visible string field of the manifest, as { owner, field, key }: `owner[field]` holds the
 * text, or `%key%` once localized. The model-facing descriptions of language model tools stay English.
 */
function userVisibleFields(manifest) {
  const fields = [];
  const add = (owner, field, key) => {
    if (owner && typeof owner[field] === 'string') fields.push({ owner, field, key });
  };
  const addEach = (owner, field, key) => {
    (owner?.[field] ?? []).forEach((_, i) => add(owner[field], i, `${key}.${i}`));
  };
  const c = manifest.contributes ?? {};
  add(manifest, 'displayName', 'extension.displayName');
  add(manifest, 'description', 'extension.description');
  add(manifest.capabilities?.untrustedWorkspaces, 'description', 'extension.untrustedWorkspaces.description');
  for (const n of c.notebooks ?? []) add(n, 'displayName', `notebook.${n.type}.displayName`);
  for (const r of c.notebookRenderer ?? []) add(r, 'displayName', `notebookRenderer.${r.id}.displayName`);
  for (const t of c.languageModelTools ?? []) {
    add(t, 'displayName', `languageModelTool.${t.name}.displayName`);
    add(t, 'userDescription', `languageModelTool.${t.name}.userDescription`);
  }
  for (const a of c.authentication ?? []) add(a, 'label', `authentication.${a.id}.label`);
  for (const list of Object.values(c.viewsContainers ?? {}))
    for (const v of list) add(v, 'title', `viewsContainer.${v.id}.title`);
  for (const list of Object.values(c.views ?? {}))
    for (const v of list) {
      add(v, 'name', `view.${v.id}.name`);
      add(v, 'contextualTitle', `view.${v.id}.contextualTitle`);
    }
  (c.viewsWelcome ?? []).forEach((w, i) => add(w, 'contents', `viewsWelcome.${w.view}.${i}`));
  for (const cmd of c.commands ?? []) {
    add(cmd, 'title', `command.${cmd.command}.title`);
    add(cmd, 'shortTitle', `command.${cmd.command}.shortTitle`);
    if (typeof cmd.category === 'string' && !/^%.*%$/.test(cmd.category))
      add(cmd, 'category', `category.${cmd.category.replace(/[^A-Za-z0-9]+/g, '')}`);
    else add(cmd, 'category', cmd.category?.slice(1, -1));
  }
  for (const w of c.walkthroughs ?? []) {
    add(w, 'title', `walkthrough.${w.id}.title`);
    add(w, 'description', `walkthrough.${w.id}.description`);
    for (const step of w.steps ?? []) {
      const key = `walkthrough.${w.id}.step.${step.id}`;
      add(step, 'title', `${key}.title`);
      add(step, 'description', `${key}.description`);
      add(step.media, 'altText', `${key}.altText`);
    }
  }
  for (const config of [c.configuration ?? []].flat()) {
    add(config, 'title', 'configuration.title');
    for (const [name, setting] of Object.entries(config.properties ?? {})) {
      for (const field of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage'])
        add(setting, field, `config.${name}.${field}`);
      for (const field of ['enumDescriptions', 'markdownEnumDescriptions'])
        addEach(setting, field, `config.${name}.${field}`);
    }
  }
  return fields;
}

const PLACEHOLDER = /^%([^%]+)%$/;

/** Moves every literal user-visible text of the manifest into the nls table; returns what changed. */
function localizeManifest(manifest, nls) {
  let changed = 0;
  for (const { owner, field, key } of userVisibleFields(manifest)) {
    if (PLACEHOLDER.test(owner[field])) continue;
    nls[key] = owner[field];
    owner[field] = `%${key}%`;
    changed++;
  }
  return changed;
}

/** Every `%key%` string anywhere in the manifest. */
function manifestKeys(value, keys = new Set()) {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    if (match) keys.add(match[1]);
  } else if (value && typeof value === 'object') for (const v of Object.values(value)) manifestKeys(v, keys);
  return keys;
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

function localizeManifestFiles() {
  const read = (name) => JSON.parse(fs.readFileSync(path.join(REPO, name), 'utf8'));
  const manifest = read('package.json');
  const nls = read('package.nls.json');
  if (!localizeManifest(manifest, nls)) return [];
  fs.writeFileSync(path.join(REPO, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(path.join(REPO, 'package.nls.json'), `${JSON.stringify(nls, null, 2)}\n`);
  return ['package.json', 'package.nls.json'];
}

function main() {
  const check = process.argv.includes('--check');
  // Writing moves new literal texts of package.json into package.nls.json first.
  const stale = check ? [] : localizeManifestFiles();
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
module.exports = {
  extractMessages,
  pseudo,
  accent,
  expectedFiles,
  userVisibleFields,
  localizeManifest,
  manifestKeys,
  PSEUDO_LOCALE,
};
