import * as assert from 'assert';
import fc from 'fast-check';
import { useWebviewPage } from '../support/webviewHarness';
import { escapeInvisible } from '../../src/webview/tableModel';

/**
 * As a property: any JSON the API returns renders as inert text in the real webview bundle
 * (headless Chromium), because a response is untrusted input (docs/reliability.md, "Untrusted input"):
 * only the panel's own elements exist, and every key and string shown round-trips to the value
 * (invisible and bidi characters made visible as \uXXXX).
 */

const ALLOWED_TAGS = new Set([
  'main',
  'section',
  'div',
  'span',
  'button',
  'input',
  'select',
  'option',
  'label',
  'code',
  'pre',
  'ul',
  'li',
  'datalist',
  'p',
]);

suite('Explorer rendering: hostile JSON stays text', function () {
  this.timeout(180_000);
  const { page } = useWebviewPage();

  let resultId = 1;

  async function render(
    records: unknown[],
  ): Promise<{ tags: string[]; rows: { key: string; value: string; depth: number }[]; title: string }> {
    const id = resultId++;
    return await page().evaluate<{
      tags: string[];
      rows: { key: string; value: string; depth: number }[];
      title: string;
    }>(`(() => {
      window.__state = { expanded: [['data']] };
      window.__send({ type: 'didReceiveResponse', requestId: 0, summary: window.__summary(${id}, ${records.length}), restored: true });
      const requests = window.__posted.filter((m) => m.type === 'getRows');
      window.__posted = [];
      for (const r of requests) window.__send({ type: 'getRows/result', requestId: r.requestId, resultId: r.resultId, offset: 0, rowLines: ${JSON.stringify(records.map((r) => JSON.stringify(r)).join('\n'))} });
      // Expand the first record as a click on its twistie would.
      const first = [...window.__tree().querySelectorAll('.virtual-row:not([hidden])')].find((row) => row.getAttribute('aria-level') === '2');
      first?.querySelector('.twistie')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      const tree = window.__tree();
      const rows = [...tree.querySelectorAll('.virtual-row:not([hidden])')].map((row) => ({
        key: row.querySelector('.tree-key')?.textContent ?? '',
        value: row.querySelector('.tree-value')?.textContent ?? '',
        depth: Number(row.getAttribute('aria-level')),
      }));
      const tags = [...new Set([...document.body.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()))];
      return { tags, rows, title: document.title };
    })()`);
  }

  test('generated JSON (graphemes, deep values) renders as text only', async () => {
    const hostile = fc.constantFrom(
      '<img src=x onerror="document.title=\'pwned\'">',
      '</script><script>document.title="pwned"</script>',
      '\u202Egnp.exe',
      '<a href="command:x">x</a>',
      '{{7*7}}',
      'javascript:alert(1)',
    );
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }), hostile);
    const record = fc.dictionary(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), hostile), value, {
      minKeys: 1,
      maxKeys: 4,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 3 }), async (records) => {
        const clean = JSON.parse(JSON.stringify(records)) as Record<string, unknown>[];
        const shown = await render(clean);
        for (const tag of shown.tags) assert.ok(ALLOWED_TAGS.has(tag), `an unexpected <${tag}> element`);
        assert.notStrictEqual(shown.title, 'pwned');
        // Every field of the first record is a row one level below it, in order, shown as written.
        const firstAt = shown.rows.findIndex((r) => r.key === '0' && r.depth === 2);
        assert.ok(firstAt >= 0, JSON.stringify(shown.rows.slice(0, 4)));
        const fields = Object.keys(clean[0]!);
        fields.forEach((key, k) => {
          const row = shown.rows[firstAt + 1 + k];
          if (!row) return; // beyond the drawn window
          if (key.length <= 200) assert.strictEqual(row.key, escapeInvisible(key));
          const v = clean[0]![key];
          if (typeof v === 'string' && v.length <= 500) assert.strictEqual(row.value, `"${escapeInvisible(v)}"`);
          if (typeof v === 'number' || typeof v === 'boolean' || v === null) assert.strictEqual(row.value, String(v));
        });
      }),
      { numRuns: 60 },
    );
  });
});
