import type * as vscode from 'vscode';

/**
 * The language-model tools the extension contributes (`contributes.languageModelTools` in
 * package.json; a test checks the two agree). Light on purpose: the activation shell registers them.
 */
export const LM_TOOL_NAMES = [
  'onetwentyone_list_accounts',
  'onetwentyone_describe_api',
  'onetwentyone_run_query',
  'onetwentyone_summarize_metric',
] as const;

export type LmToolName = (typeof LM_TOOL_NAMES)[number];

/** The tools as the services bundle implements them; the shell forwards to these. */
export type LanguageModelToolSet = Readonly<Record<LmToolName, vscode.LanguageModelTool<unknown>>>;
