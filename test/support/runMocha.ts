import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { ClosingLineReporter } from './closingLine';

/** Collects `*.test.js` files under `dir` (recursively), filtered by TEST_GREP / TEST_FILE if set. */
export function findTestFiles(dir: string): string[] {
  const only = process.env.TEST_FILE;
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith('.test.js') && (!only || f.includes(only)))
    .sort();
}

/** Runs mocha (TDD interface) over the files; resolves with the number of failures. */
export function runMocha(files: string[], options: { timeout: number }): Promise<number> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: options.timeout, reporter: ClosingLineReporter });
  if (process.env.TEST_GREP) mocha.grep(process.env.TEST_GREP);
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}
