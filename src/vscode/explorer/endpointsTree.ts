import * as vscode from 'vscode';
import {
  METRIC_CATEGORIES,
  METRICS,
  ROUTES,
  routeById,
  type MetricCategory,
  type MetricDefinition,
  type RouteDefinition,
} from '../../core/routes';
import { catalogueWord } from '../catalogueL10n';
import { commandLink } from '../commands';
import { Disposable } from '../util/lifecycle';
import { resolveTooltip, treeItem } from '../util/treeItem';

const QUANTITY = routeById('quantity');

export type EndpointNode =
  | { readonly kind: 'route'; readonly route: RouteDefinition }
  | { readonly kind: 'category'; readonly category: MetricCategory; readonly label: string }
  | { readonly kind: 'metric'; readonly metric: MetricDefinition }
  | { readonly kind: 'freeMetric' };

/**
 * The Endpoints view: every data route, quantity metrics grouped by category, and free entry of any
 * metric name (the API's allowed list is not published). Static data, so no model object is needed.
 */
export class EndpointsTreeProvider extends Disposable implements vscode.TreeDataProvider<EndpointNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<EndpointNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _roots: EndpointNode[] = ROUTES.map((route) => ({ kind: 'route', route }));
  private readonly _categories: EndpointNode[] = METRIC_CATEGORIES.map((c) => ({
    kind: 'category',
    category: c.id,
    label: c.label,
  }));
  private readonly _free: EndpointNode = { kind: 'freeMetric' };
  private readonly _metricNodes = new Map<string, EndpointNode>(
    METRICS.map((m) => [m.name, { kind: 'metric', metric: m }]),
  );

  getChildren(element?: EndpointNode): EndpointNode[] {
    if (!element) return this._roots;
    if (element.kind === 'route' && element.route.id === 'quantity') return [...this._categories, this._free];
    if (element.kind === 'category')
      return METRICS.filter((m) => m.category === element.category).map((m) => this._metricNodes.get(m.name)!);
    return [];
  }

  getParent(element: EndpointNode): EndpointNode | undefined {
    if (element.kind === 'category' || element.kind === 'freeMetric') return this._roots[0];
    if (element.kind === 'metric')
      return this._categories.find((c) => c.kind === 'category' && c.category === element.metric.category);
    return undefined;
  }

  getTreeItem(element: EndpointNode): vscode.TreeItem {
    const open = commandLink('onetwentyone.endpoints.open', vscode.l10n.t('Open in Query Panel'), element);
    switch (element.kind) {
      case 'route': {
        const r = element.route;
        const isQuantity = r.id === 'quantity';
        return treeItem({
          label: catalogueWord(r.label),
          collapsible: isQuantity ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
          id: `route:${r.id}`,
          description: r.pathTemplate.replace('/api/v1', ''),
          icon: r.icon,
          contextValue: isQuantity ? 'quantityGroup' : 'endpoint:route',
          command: isQuantity ? undefined : open,
        });
      }
      case 'category':
        return treeItem({
          label: catalogueWord(element.label),
          collapsible: vscode.TreeItemCollapsibleState.Collapsed,
          id: `category:${element.category}`,
          icon: 'folder',
          contextValue: 'metricCategory',
        });
      case 'metric': {
        const m = element.metric;
        return treeItem({
          label: catalogueWord(m.label),
          id: `metric:${m.name}`,
          description: `${m.name} · ${m.unit}`,
          icon: 'symbol-numeric',
          contextValue: 'endpoint:metric',
          command: open,
        });
      }
      case 'freeMetric':
        return treeItem({
          label: vscode.l10n.t('Query any metric…'),
          id: 'freeMetric',
          icon: 'edit',
          contextValue: 'freeMetric',
          command: commandLink('onetwentyone.endpoints.enterMetric', vscode.l10n.t('Query Any Quantity Metric…')),
        });
    }
  }

  /** The tooltip, on hover only (see `resolveTooltip`). */
  resolveTreeItem(item: vscode.TreeItem, element: EndpointNode): vscode.TreeItem {
    return resolveTooltip(item, () => endpointTooltip(element));
  }
}

function endpointTooltip(element: EndpointNode): string | vscode.MarkdownString | undefined {
  switch (element.kind) {
    case 'route': {
      const r = element.route;
      return new vscode.MarkdownString()
        .appendMarkdown(`**${r.method}** \`${r.pathTemplate}\`\n\n`)
        .appendText(catalogueWord(r.description));
    }
    case 'category':
      return undefined;
    case 'metric': {
      const m = element.metric;
      return `${QUANTITY.method} ${QUANTITY.pathTemplate.replace('{metric}', m.name)}\n${m.aggregation === 'sum' ? vscode.l10n.t('Summed over days, weeks and months.') : vscode.l10n.t('Averaged over days, weeks and months.')}`;
    }
    case 'freeMetric':
      return vscode.l10n.t(
        "Type any HealthKit quantity name, such as appleWalkingSteadiness. The API's full list is not published.",
      );
  }
}
