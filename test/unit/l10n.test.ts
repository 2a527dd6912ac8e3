import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { l10n } from '../../src/vscode/l10n';
import { REPO } from '../support/repo';

interface ManifestField {
  owner: Record<string | number, unknown>;
  field: string | number;
  key: string;
}

interface L10nScript {
  extractMessages(): string[];
  userVisibleFields(manifest: unknown): ManifestField[];
  manifestKeys(manifest: unknown): Set<string>;
  expectedFiles(): Record<string, string>;
  PSEUDO_LOCALE: string;
}

// Loaded at run time from the checkout: the same code `npm run l10n` runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(path.join(REPO, 'scripts', 'l10n.js')) as L10nScript;

function readJson(name: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(REPO, name), 'utf8')) as Record<string, string>;
}

/** A Markdown link, as a view's welcome text or a walkthrough writes it: "[text](command:…)". */
const LINK = /\[[^\]]*\]\([^)\s]*\)/;

/**
 * Every stretch of text in the pseudo-locale is wrapped in [!! … !!], line by line and between Markdown
 * links; a link keeps its form (its text cannot hold the wrapper's "]"), so its target still works.
 */
function assertWrapped(translated: string, source: string, key: string): void {
  const lines = translated.split('\n');
  assert.strictEqual(lines.length, source.split('\n').length, `${key} keeps its lines`);
  for (const line of lines) {
    const stretches = line.split(LINK).filter((stretch) => stretch.trim() !== '');
    assert.ok(stretches.length > 0 || LINK.test(line), `${key}: an empty line`);
    for (const stretch of stretches) assert.match(stretch, /^\[!! [\s\S]* !!\]$/, `${key}: ${stretch}`);
  }
  const targets = (text: string) => [...text.matchAll(new RegExp(LINK, 'g'))].map((m) => m[0].replace(/^[^\]]*\]/, ''));
  assert.deepStrictEqual(targets(translated), targets(source), `${key} keeps its link targets`);
}

function placeholders(text: string): string[] {
  return (text.match(/\{\d+\}/g) ?? []).sort();
}

suite('l10n: translation bundles', () => {
  test('the extractor finds the messages of userMessages.ts', () => {
    const messages = script.extractMessages();
    assert.ok(messages.includes('Sign In'));
    assert.ok(messages.includes('{0} failed. See the OneTwentyOne log for details.'));
  });

  test('l10n/ and the pseudo-locale files are what npm run l10n writes from the current source', () => {
    for (const [name, expected] of Object.entries(script.expectedFiles())) {
      const file = path.join(REPO, name);
      assert.ok(fs.existsSync(file), `${name} is missing: run npm run l10n`);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), expected, `${name} is not current: run npm run l10n`);
    }
  });

  test('the English bundle holds every message used in src', () => {
    const bundle = readJson('l10n/bundle.l10n.json');
    for (const message of script.extractMessages()) assert.strictEqual(bundle[message], message);
  });

  for (const [english, pseudoName] of [
    ['l10n/bundle.l10n.json', `l10n/bundle.l10n.${script.PSEUDO_LOCALE}.json`],
    ['package.nls.json', `package.nls.${script.PSEUDO_LOCALE}.json`],
  ] as const) {
    test(`${pseudoName} wraps every string of ${english} and keeps its placeholders`, () => {
      const source = readJson(english);
      const pseudo = readJson(pseudoName);
      assert.deepStrictEqual(Object.keys(pseudo).sort(), Object.keys(source).sort());
      for (const [key, text] of Object.entries(source)) {
        const translated = pseudo[key] ?? '';
        assertWrapped(translated, text, key);
        assert.deepStrictEqual(placeholders(translated), placeholders(text), key);
        if (/[aeiou]/i.test(text)) assert.notStrictEqual(translated, `[!! ${text} !!]`, `${key} is not accented`);
      }
    });
  }

  test('outside VS Code, l10n.t shows the English text with its placeholders filled', () => {
    assert.strictEqual(l10n.t('{0} failed ({1}).', 'Export', 3), 'Export failed (3).');
    assert.strictEqual(l10n.t('Left {2} alone', 'x'), 'Left {2} alone');
  });
});

suite('l10n: the manifest (package.json) through package.nls.json', () => {
  const manifest = readJson('package.json');
  const nls = readJson('package.nls.json');

  test('every user-visible text of package.json is a %key%, not literal English', () => {
    const fields = script.userVisibleFields(manifest);
    assert.ok(fields.length > 50, 'commands, views, settings and the walkthrough are found');
    const literal = fields.filter((f) => !/^%[^%]+%$/.test(String(f.owner[f.field]))).map((f) => f.key);
    assert.deepStrictEqual(literal, [], 'literal texts left in package.json: run npm run l10n');
  });

  test('every %key% of package.json has its English text in package.nls.json', () => {
    const keys = script.manifestKeys(manifest);
    assert.ok(keys.size > 50);
    assert.deepStrictEqual(
      [...keys].filter((k) => typeof nls[k] !== 'string' || !nls[k]),
      [],
    );
  });

  test('the fields found include a command title, a setting description and a view name', () => {
    const keys = new Set(script.userVisibleFields(manifest).map((f) => f.key));
    for (const key of [
      'command.onetwentyone.auth.signIn.title',
      'view.onetwentyone.accounts.name',
      'extension.displayName',
    ])
      assert.ok(keys.has(key), key);
    assert.ok([...keys].some((k) => k.startsWith('config.onetwentyone.') && k.endsWith('Description')));
  });
});
