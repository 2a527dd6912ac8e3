import * as vscode from 'vscode';
import { LM_TOOL_NAMES, type LanguageModelToolSet } from './toolNames';

/**
 * Registers every language-model tool at activation with a forwarder, so an agent's first call
 * (which activates the extension through `onLanguageModelTool:<name>` and expects the tool to be
 * registered by then) finds it, while the implementation loads with the services bundle on first use.
 */
export function registerLanguageModelTools(tools: () => LanguageModelToolSet): vscode.Disposable {
  // VS Code before the stable tools API has no `lm.registerTool`: the extension works without them.
  if (typeof vscode.lm?.registerTool !== 'function') return { dispose: () => undefined };
  const registrations = LM_TOOL_NAMES.map((name) =>
    vscode.lm.registerTool<unknown>(name, {
      invoke: (options, token) => tools()[name].invoke(options, token),
      prepareInvocation: (options, token) => tools()[name].prepareInvocation?.(options, token),
    }),
  );
  return { dispose: () => registrations.forEach((r) => r.dispose()) };
}
