import * as vscode from 'vscode';
import { describeApiError, isApiError } from '../../core/api/errors';
import { budgetOf } from '../../core/api/rateLimit';
import type { RouteId } from '../../core/routes';
import type { Account, AccountsService } from '../auth/accountsContract';
import type { ApiAccess } from '../explorer/apiAccess';
import { formatCount, l10n } from '../l10n';
import { chooseAccount, handleOf } from './accountRefs';
import { ConsentLedger, NOT_CONFIRMED } from './consent';
import { scrubbed } from './resultText';
import { refusal, type Checked } from './toolInputs';

/** What every tool works with: the explorer's accounts and API access (one shared quota state). */
export interface ToolDeps {
  readonly accounts: AccountsService;
  readonly api: ApiAccess;
}

export interface ToolPlan<R> {
  readonly account: Account;
  readonly request: R;
  readonly key: string;
}

/** A confirmed plan about to be sent: the client of its account and an abort signal to dispose. */
export interface ToolRun<R> {
  readonly account: Account;
  readonly request: R;
  /** What the user agreed to, echoed in the result. */
  readonly agreed: string;
  readonly client: ReturnType<ApiAccess['clientFor']>;
  readonly abort: { signal: AbortSignal; dispose(): void };
}

export class ToolContext {
  private readonly _consent = new ConsentLedger();

  constructor(readonly deps: ToolDeps) {}

  /**
   * What a data call will do: the signed-in account the checked input names, the request made from
   * it, and the consent key both steps (confirm, then run) must agree on; or a refusal naming what is wrong.
   */
  planFor<T extends { readonly account: string | undefined }, R>(
    tool: string,
    checked: Checked<T>,
    toRequest: (ok: T) => R,
  ): { plan: ToolPlan<R> } | { refusal: string } {
    if ('problems' in checked) return { refusal: refusal(checked.problems) };
    const { accounts } = this.deps;
    const choice = chooseAccount(checked.ok.account, accounts.list(), accounts.activeAccount);
    if ('problem' in choice) return { refusal: refusal([choice.problem]) };
    const request = toRequest(checked.ok);
    return { plan: { account: choice.account, request, key: JSON.stringify([tool, choice.account.id, request]) } };
  }

  /**
   * The confirmation VS Code shows before a data tool runs (its text escaped: a label is never
   * markdown), offered for exactly this plan.
   */
  confirm(planKey: string, title: string, lines: readonly string[]): vscode.PreparedToolInvocation {
    const message = lines.join('\n\n');
    this._consent.offer(planKey, `${title}\n${lines.join('\n')}`);
    return {
      invocationMessage: title.replace(/\?$/, '…'),
      confirmationMessages: { title, message: new vscode.MarkdownString().appendText(message) },
    };
  }

  /** The plan ready to send, if it was confirmed; otherwise the result that says why nothing was sent. */
  toRun<R>(
    planned: { plan: ToolPlan<R> } | { refusal: string },
    token: vscode.CancellationToken,
  ): { run: ToolRun<R> } | { result: vscode.LanguageModelToolResult } {
    if ('refusal' in planned) return { result: textResult(planned.refusal) };
    const { account, request, key } = planned.plan;
    const agreed = this.agreed(key);
    if (agreed === undefined) return { result: textResult(NOT_CONFIRMED) };
    const client = this.deps.api.clientFor(account);
    return { run: { account, request, agreed, client, abort: this.signal(account, token) } };
  }

  /** What the user agreed to for this plan, once; undefined when it was never offered. */
  agreed(planKey: string): string | undefined {
    return this._consent.take(planKey);
  }

  handle(account: Account): string {
    return handleOf(account, this.deps.accounts.list());
  }

  /** "Ada (sandbox, http://127.0.0.1:4000)": whose data, from which server. */
  whose(account: Account): string {
    return `${this.handle(account)} (${account.environment.kind}, ${account.environment.origin})`;
  }

  /** The quota a route spends and what is known of it, in the confirmation's words. */
  quotaText(account: Account, route: RouteId, requests: string): string {
    const budget = budgetOf(route);
    const known = this.deps.api.quotaFor(account, route);
    const name = budget.daily
      ? l10n.t("today's request quota ({0})", budget.label)
      : l10n.t("the {0} route's own request limit", budget.label);
    const left =
      known?.remaining === undefined
        ? l10n.t('nothing spent yet this session')
        : known.limit === undefined
          ? l10n.t('{0} left as last seen', formatCount(known.remaining))
          : l10n.t('{0} of {1} left as last seen', formatCount(known.remaining), formatCount(known.limit));
    return l10n.t('{0} of {1}; {2}.', requests, name, left);
  }

  /** Quota after a call, for the result (numbers only; no user or token in it). */
  quotaAfter(account: Account, route: RouteId): Record<string, unknown> {
    const known = this.deps.api.quotaFor(account, route);
    const budget = budgetOf(route);
    return {
      budget: budget.daily ? `daily (${budget.label})` : budget.label,
      ...(known?.remaining !== undefined ? { remaining: known.remaining } : {}),
      ...(known?.limit !== undefined ? { limit: known.limit } : {}),
      ...(known?.resetAt !== undefined ? { resetsAt: new Date(known.resetAt).toISOString() } : {}),
    };
  }

  /** Requests of today's quota the user keeps unspent (the Fetch All setting). */
  quotaReserve(): number {
    const n = vscode.workspace.getConfiguration('onetwentyone').get<number>('fetchAll.quotaReserve', 10);
    return Number.isInteger(n) && n >= 0 ? n : 10;
  }

  /** Aborted when the call is cancelled or the account signs out. */
  signal(account: Account, token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    return {
      signal: AbortSignal.any([controller.signal, this.deps.accounts.signalFor(account.id)]),
      dispose: () => sub.dispose(),
    };
  }
}

export function textResult(...parts: string[]): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult(parts.map((p) => new vscode.LanguageModelTextPart(p)));
}

/** A failed call in words a model can act on: the error's code, what happened, and when to try again. */
export function failureResult(what: string, err: unknown): vscode.LanguageModelToolResult {
  const code = isApiError(err) ? err.code : 'error';
  const when =
    isApiError(err) && err.resetAt !== undefined
      ? ` The quota resets at ${new Date(err.resetAt).toISOString()}.`
      : isApiError(err) && err.retryAfterMs !== undefined
        ? ` Try again in ${Math.ceil(err.retryAfterMs / 1000)} s.`
        : '';
  return textResult(scrubbed(`The ${what} failed (${code}): ${describeApiError(err)}${when}`));
}
