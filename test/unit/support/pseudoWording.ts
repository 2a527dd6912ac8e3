import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Wording } from '../../../src/core/localizable';
import { REPO } from '../../support/repo';

/** The core's marked sentences worded in the pseudo-locale, as the host words them in another language. */

function bundle(name: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', name), 'utf8')) as Record<string, string>;
}

const ENGLISH = bundle('bundle.l10n.json');
const PSEUDO = bundle('bundle.l10n.qps-ploc.json');

/** The pseudo-locale, numbers marked (`#5`) so that a value not filled in through `number` shows. */
export const PSEUDO_WORDING: Wording = {
  translate: (text) => PSEUDO[text] ?? `untranslated: ${text}`,
  number: (value) => `#${value}`,
};

/** A template's pseudo-locale translation with its values filled in; fails when it is not in the bundles. */
export function pseudo(template: string, ...values: string[]): string {
  const translated = PSEUDO[template];
  assert.ok(translated !== undefined && ENGLISH[template] === template, `not in the bundles: ${template}`);
  return values.reduce((text, value, i) => text.replace(`{${i}}`, value), translated);
}
