import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** The fenced shell commands of the README's Quick start, one per line, comments cut. */
function quickStartCommands(): string[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

suite("The newcomer's path: the README's commands are what CI runs", () => {
  test(".ci/run runs the README's test command exactly as written, with no step of its own before or after it", () => {
    const commands = quickStartCommands();
    const testCommand = commands.find((c) => c.endsWith('npm test'));
    assert.ok(testCommand, `no test command in the README's Quick start: ${JSON.stringify(commands)}`);
    const ci = fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8');
    const lines = ci
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const at = lines.indexOf(testCommand);
    assert.ok(at >= 0, `.ci/run does not run "${testCommand}"`);
    const notAStep = (l: string): boolean => /^(set |cd |started=|echo\b)/.test(l);
    assert.deepStrictEqual(
      lines.slice(0, at).filter((l) => !notAStep(l)),
      [],
      "steps before the README's command",
    );
    assert.deepStrictEqual(
      lines.slice(at + 1).filter((l) => !notAStep(l)),
      [],
      "steps after the README's command",
    );
  });

  test("a nested install started from an npm script sees none of the outer npm's settings", () => {
    // What `npm test` hands its children: code-server's postinstall reads the Node version from
    // npm_config_user_agent, so an inherited one names the wrong Node.
    const script = `const { withoutOuterNpm } = require(${JSON.stringify(path.join(REPO, 'scripts', 'codeServer', 'install.js'))});
      process.stdout.write(JSON.stringify(Object.keys(withoutOuterNpm(process.env)).filter((k) => /^npm_|^NODE$|^INIT_CWD$/i.test(k))));`;
    const fromNpm = execFileSync('npm', ['exec', '--', 'node', '-e', script], { cwd: REPO, encoding: 'utf8' });
    assert.deepStrictEqual(JSON.parse(fromNpm), []);
    const outer = execFileSync('npm', ['exec', '--', 'node', '-p', 'process.env.npm_config_user_agent ?? ""'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.match(outer, /node\/v/, 'the outer npm no longer sets npm_config_user_agent: this test proves nothing');
  });
});
