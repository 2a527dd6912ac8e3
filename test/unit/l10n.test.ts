import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { localizableTexts, renderText, type Wording } from '../../src/core/localizable';
import { queryProblems } from '../../src/core/routes/request';
import { createWebviewL10n } from '../../src/shared/webviewStrings';
import { catalogueTranslations } from '../../src/vscode/catalogueL10n';
import { webviewStrings } from '../../src/vscode/explorer/webviewStrings';
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

  test('the extractor finds the route catalogue texts marked localizable', () => {
    const messages = script.extractMessages();
    for (const text of [
      'Steps',
      'Page size',
      '7 days',
      'must be a whole number from 1 to {0}',
      '{0} does not take {1}.',
    ])
      assert.ok(messages.includes(text), text);
  });

  test('every catalogue text marked localizable is in the English and pseudo-locale bundles', () => {
    // The catalogues mark their texts as they load (catalogueL10n.ts loads them all): a text marked
    // with anything but a string literal is missing from the bundles and so never translated.
    const marked = localizableTexts();
    assert.ok(marked.length > 90, `only ${marked.length} marked texts`);
    const bundle = readJson('l10n/bundle.l10n.json');
    const pseudo = readJson(`l10n/bundle.l10n.${script.PSEUDO_LOCALE}.json`);
    assert.deepStrictEqual(
      marked.filter((text) => bundle[text] !== text || pseudo[text] === undefined),
      [],
      'marked texts missing from l10n/: mark them with a string literal and run npm run l10n',
    );
  });

  test("a field's problem is translated as a template, then filled with its values", () => {
    const [problem] = queryProblems({ route: 'quantity', metric: 'heartRate', params: { pageSize: 0 } });
    assert.strictEqual(problem?.fieldMessage, 'Must be a whole number from 1 to 10,000.');
    assert.strictEqual(problem.message, 'pageSize must be a whole number from 1 to 10,000.');
    const pseudo = readJson(`l10n/bundle.l10n.${script.PSEUDO_LOCALE}.json`);
    const wording: Wording = { translate: (text) => pseudo[text] ?? `untranslated: ${text}`, number: String };
    const predicate = (pseudo['must be a whole number from 1 to {0}'] ?? '').replace('{0}', '10000');
    assert.strictEqual(renderText(problem.fieldText, wording), (pseudo['{0}.'] ?? '').replace('{0}', predicate));
    assert.strictEqual(
      renderText(problem.text, wording),
      (pseudo['{0} {1}.'] ?? '').replace('{0}', 'pageSize').replace('{1}', predicate),
    );
  });

  test("the webview words catalogue texts from the host's table, English where it has none", () => {
    assert.deepStrictEqual(catalogueTranslations(), {}, 'in English the host sends no catalogue table');
    const words = createWebviewL10n({
      locale: 'de',
      strings: webviewStrings(),
      catalogue: {
        Steps: 'Schritte',
        'must be a whole number from 1 to {0}': 'muss eine ganze Zahl von 1 bis {0} sein',
      },
    });
    assert.strictEqual(words.word('Steps'), 'Schritte');
    assert.strictEqual(words.word('Sleep'), 'Sleep');
    assert.strictEqual(words.word('constructor'), 'constructor');
    const [problem] = queryProblems({ route: 'quantity', metric: 'heartRate', params: { pageSize: 0 } });
    assert.strictEqual(words.text(problem!.fieldText), 'Muss eine ganze Zahl von 1 bis 10.000 sein.');
  });

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
