import { describeApiTool, listAccountsTool } from './infoTools';
import { runQueryTool } from './queryTool';
import { summarizeMetricTool } from './summaryTool';
import { ToolContext, type ToolDeps } from './toolContext';
import type { LanguageModelToolSet } from './toolNames';

/**
 * The language-model tools of the services bundle: agents in VS Code query the API through the
 * explorer's accounts, quota state, caps and redaction, and each data call asks the user first.
 * The activation shell registers forwarders to them (toolForwarders.ts).
 */
export function createLanguageModelTools(deps: ToolDeps): LanguageModelToolSet {
  const context = new ToolContext(deps);
  return {
    onetwentyone_list_accounts: listAccountsTool(context),
    onetwentyone_describe_api: describeApiTool(),
    onetwentyone_run_query: runQueryTool(context),
    onetwentyone_summarize_metric: summarizeMetricTool(context),
  };
}
