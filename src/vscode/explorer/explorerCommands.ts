import { z } from 'zod';
import { ROUTES, type RouteId } from '../../core/routes';
import { DATE_PRESETS } from '../../shared/query';
import { formStateSchema } from '../../shared/protocol';
import { command } from '../commandRegistry';
import type { HistoryNode } from './historyTree';
import type { Explorer } from './explorerModule';
import { l10n } from '../l10n';

/** Arguments the run commands accept instead of asking (tests, keybindings, other extensions). */
const runArgs = z.object({
  accountId: z.string().optional(),
  metric: z.string().optional(),
  preset: z.enum(DATE_PRESETS.map((p) => p.id) as [(typeof DATE_PRESETS)[number]['id']]).optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  page: z.number().int().positive().optional(),
  pageSize: z.number().int().positive().optional(),
});
export type RunArgs = z.output<typeof runArgs>;

/** Without them the plan is shown first. */
const fetchAllArgs = z.object({ confirmed: z.boolean().optional(), spendReserve: z.boolean().optional() });
/** Without a format it asks, without a path the save dialog does. */
const exportArgs = z.object({ format: z.enum(['json', 'ndjson', 'csv']).optional(), path: z.string().optional() });
export type ExportArgs = z.output<typeof exportArgs>;

/** A row of the History view (its items and inline actions pass the row). */
const historyNode = z.custom<HistoryNode>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string',
);
/** A row of the Endpoints view (an `EndpointNode`), as much of it as opening it needs. */
const endpointNode = z.union([
  z.object({ kind: z.literal('route'), route: z.object({ id: z.enum(ROUTES.map((r) => r.id) as [RouteId]) }) }),
  z.object({ kind: z.literal('metric'), metric: z.object({ name: z.string() }) }),
  z.object({ kind: z.enum(['category', 'freeMetric']) }),
]);
export type EndpointTarget = z.output<typeof endpointNode>;
/** Where "Open in Notebook" writes the cell without asking: a new notebook or an open one's URI. */
const notebookTarget = z.union([z.literal('new'), z.strictObject({ uri: z.string() })]);

export type ExplorerCommands = ReturnType<typeof explorerCommands>;

/** The explorer's commands: each one's arguments, checked when it runs, and the explorer action it calls. */
export function explorerCommands(explorer: Explorer) {
  return {
    'onetwentyone.query.open': command(
      l10n.t('Opening the query panel'),
      [z.union([formStateSchema, historyNode]).optional()],
      (target) => (target && 'kind' in target ? explorer.openFromHistory(target) : explorer.open(target)),
    ),
    'onetwentyone.query.runQuantity': command(l10n.t('Running the quantity query'), [runArgs.optional()], (args) =>
      explorer.runQuantity(args ?? {}),
    ),
    'onetwentyone.query.runSleep': command(l10n.t('Running the sleep query'), [runArgs.optional()], (args) =>
      explorer.runSleep(args ?? {}),
    ),
    'onetwentyone.query.fetchAll': command(l10n.t('Fetching all pages'), [fetchAllArgs.optional()], (args) =>
      explorer.fetchAll({ confirmed: args?.confirmed === true, spendReserve: args?.spendReserve === true }),
    ),
    'onetwentyone.query.export': command(l10n.t('Exporting the result'), [exportArgs.optional()], (args) =>
      explorer.exportResult(args ?? {}),
    ),
    'onetwentyone.query.generateTypes': command(l10n.t('Generating types from the result'), [], () =>
      explorer.generateTypes(),
    ),
    'onetwentyone.query.copyAsClient': command(l10n.t('Copying the query as a TypeScript client'), [], () =>
      explorer.copyAsClient(),
    ),
    'onetwentyone.endpoints.open': command(l10n.t('Opening the endpoint'), [endpointNode.optional()], (node) =>
      explorer.openEndpoint(node),
    ),
    'onetwentyone.endpoints.enterMetric': command(l10n.t('Querying a metric'), [z.string().optional()], (metric) =>
      explorer.enterMetric(metric),
    ),
    'onetwentyone.query.openInNotebook': command(
      l10n.t('Opening the query in a notebook'),
      // The panel's title bar passes its own argument, the History view a row: only a row is used.
      [z.unknown().optional(), notebookTarget.optional()],
      (node, target) => {
        const row = historyNode.safeParse(node);
        return explorer.openInNotebook(row.success ? row.data : undefined, target);
      },
    ),
    'onetwentyone.history.rerun': command(l10n.t('Running the query again'), [historyNode.optional()], (node) =>
      explorer.rerun(node),
    ),
    'onetwentyone.history.clear': command(l10n.t('Clearing the history'), [], () => explorer.history.clear()),
    'onetwentyone.history.removeSaved': command(l10n.t('Removing the saved query'), [historyNode.optional()], (node) =>
      node?.kind === 'saved' ? explorer.history.removeSaved(node.saved.id) : undefined,
    ),
  };
}
