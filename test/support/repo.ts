import * as fs from 'fs';
import * as path from 'path';

/** The repository root: the nearest folder above this (bundled) file with the extension's package.json. */
export const REPO = findRepo(__dirname);

function findRepo(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'onetwentyone-explorer'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`No onetwentyone-explorer package.json above ${from}`);
  }
}
