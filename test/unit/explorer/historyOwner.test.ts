import * as assert from 'assert';
import type { Account } from '../../../src/vscode/auth/accountsContract';
import type { CommandId } from '../../../src/vscode/commandIds';
import type { HistoryEntry, SavedQuery } from '../../../src/vscode/explorer/historyStore';
import {
  accountToUse,
  ADD_TOKEN_CHOICE,
  describeOwner,
  OTHER_USER_CHOICE,
  ownerOf,
  recordedLabels,
  SIGN_IN_CHOICE,
  type OwnerPrompts,
  type QueryOwner,
} from '../../../src/vscode/explorer/queryOwner';

function account(id: string, label: string): Account {
  return {
    id,
    userId: id,
    kind: 'pat',
    label,
    environment: { kind: 'sandbox', origin: 'http://127.0.0.1:1' },
    scopes: [],
    scopesSeen: [],
    status: 'valid',
  };
}

class Accounts {
  constructor(readonly all: Account[]) {}
  get(id: string): Account | undefined {
    return this.all.find((a) => a.id === id);
  }
  list(): readonly Account[] {
    return this.all;
  }
  get activeAccount(): Account | undefined {
    return this.all[0];
  }
}

/** Prompts answered by a script; records what the user was shown. */
class ScriptedPrompts implements OwnerPrompts {
  readonly warnings: { message: string; modal: boolean; choices: string[] }[] = [];
  readonly picks: string[][] = [];
  readonly informed: string[] = [];
  readonly commands: CommandId[] = [];
  constructor(
    private readonly _warnAnswer: string | undefined,
    private readonly _pickLabel?: string,
    private readonly _onCommand: (command: CommandId) => void = () => undefined,
  ) {}
  async warn(message: string, options: { modal?: boolean }, ...choices: string[]) {
    this.warnings.push({ message, modal: options.modal === true, choices });
    return this._warnAnswer;
  }
  async pick<T extends { label: string }>(items: readonly T[]) {
    this.picks.push(items.map((i) => i.label));
    return items.find((i) => i.label === this._pickLabel);
  }
  inform(message: string): void {
    this.informed.push(message);
  }
  async runCommand(command: CommandId) {
    this.commands.push(command);
    this._onCommand(command);
  }
}

const query = { route: 'quantity' as const, metric: 'heartRate', params: {} };
const entry = (accountId: string | undefined, accountLabel?: string, id = '1'): HistoryEntry => ({
  id,
  time: 0,
  query,
  status: 200,
  recordCount: 1,
  durationMs: 1,
  ...(accountId ? { accountId } : {}),
  ...(accountLabel ? { accountLabel } : {}),
});
const savedFor = (accountId: string | undefined): SavedQuery => ({
  id: 's',
  name: 'Resting HR',
  query,
  ...(accountId ? { accountId } : {}),
});
const adaSignedOut: QueryOwner = { accountId: 'ada', label: 'Ada', signedIn: false };

suite('explorer: whose a history entry or saved query is', () => {
  test("the history names a saved query's signed-out user by the latest label it recorded", () => {
    const labels = recordedLabels([entry('ada', 'Ada Lovelace', '2'), entry('ada', 'Ada', '1'), entry(undefined)]);
    const owner = ownerOf(savedFor('ada'), new Accounts([]), labels);
    assert.deepStrictEqual(owner, { accountId: 'ada', label: 'Ada Lovelace', signedIn: false });
    assert.strictEqual(describeOwner(owner), 'Ada Lovelace (signed out)');
  });

  test('a signed-in user goes by their current label; no account means no owner', () => {
    const accounts = new Accounts([account('ada', 'Ada (renamed)')]);
    const owner = ownerOf(entry('ada', 'Ada'), accounts);
    assert.deepStrictEqual(owner, { accountId: 'ada', label: 'Ada (renamed)', signedIn: true });
    assert.strictEqual(describeOwner(owner), 'Ada (renamed)');
    assert.strictEqual(ownerOf(entry(undefined), accounts), undefined);
    assert.strictEqual(ownerOf(savedFor('gone'), accounts)?.label, 'Unknown user');
  });
});

suite('explorer: which account a history entry or saved query runs as', () => {
  test('its own user while signed in, the active one when it names none, without asking', async () => {
    const prompts = new ScriptedPrompts(undefined);
    const deps = { accounts: new Accounts([account('bob', 'Bob'), account('ada', 'Ada')]), prompts };
    assert.deepStrictEqual(await accountToUse({ ...adaSignedOut, signedIn: true }, 'Resting HR', 'run', deps), {
      accountId: 'ada',
    });
    assert.deepStrictEqual(await accountToUse(undefined, 'Resting HR', 'run', deps), { accountId: undefined });
    assert.deepStrictEqual(prompts.warnings, []);
  });

  test('a signed-out user is never replaced unasked: a modal says so, and cancelling runs nothing', async () => {
    const prompts = new ScriptedPrompts(undefined);
    const chosen = await accountToUse(adaSignedOut, 'Resting HR', 'run', {
      accounts: new Accounts([account('bob', 'Bob')]),
      prompts,
    });
    assert.strictEqual(chosen, undefined);
    assert.deepStrictEqual(prompts.warnings, [
      { message: 'Ada is signed out.', modal: true, choices: [SIGN_IN_CHOICE, ADD_TOKEN_CHOICE, OTHER_USER_CHOICE] },
    ]);
    assert.deepStrictEqual(prompts.commands, []);
  });

  test('choosing another user explicitly runs as the one picked; dismissing the pick runs nothing', async () => {
    const accounts = new Accounts([account('bob', 'Bob'), account('eve', 'Eve')]);
    const picking = new ScriptedPrompts(OTHER_USER_CHOICE, 'Eve');
    assert.deepStrictEqual(await accountToUse(adaSignedOut, 'Resting HR', 'run', { accounts, prompts: picking }), {
      accountId: 'eve',
    });
    assert.deepStrictEqual(picking.picks, [['Bob', 'Eve']]);
    const dismissing = new ScriptedPrompts(OTHER_USER_CHOICE, undefined);
    assert.strictEqual(
      await accountToUse(adaSignedOut, 'Resting HR', 'run', { accounts, prompts: dismissing }),
      undefined,
    );
  });

  test('signing the same user in again runs as them; signing in someone else runs nothing and says so', async () => {
    const accounts = new Accounts([]);
    const again = new ScriptedPrompts(SIGN_IN_CHOICE, undefined, () => accounts.all.push(account('ada', 'Ada')));
    assert.deepStrictEqual(await accountToUse(adaSignedOut, 'Resting HR', 'run', { accounts, prompts: again }), {
      accountId: 'ada',
    });
    assert.deepStrictEqual(again.commands, ['onetwentyone.auth.signIn']);
    assert.deepStrictEqual(again.warnings[0]!.choices, [SIGN_IN_CHOICE, ADD_TOKEN_CHOICE], 'no other user to choose');

    const others = new Accounts([]);
    const someoneElse = new ScriptedPrompts(ADD_TOKEN_CHOICE, undefined, () => others.all.push(account('bob', 'Bob')));
    assert.strictEqual(
      await accountToUse(adaSignedOut, 'Resting HR', 'open', { accounts: others, prompts: someoneElse }),
      undefined,
    );
    assert.deepStrictEqual(someoneElse.commands, ['onetwentyone.auth.addPersonalAccessToken']);
    assert.deepStrictEqual(someoneElse.informed, ['Ada is still signed out, so “Resting HR” was not opened.']);
  });
});
