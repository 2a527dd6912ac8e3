import * as vscode from 'vscode';
import {
  METRIC_CATEGORIES,
  METRICS,
  ROUTES,
  type MetricCategory,
  type MetricDefinition,
  type RouteDefinition,
} from '../../core/routes';
import { Disposable } from '../util/lifecycle';

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
    switch (element.kind) {
      case 'route': {
        const r = element.route;
        const isQuantity = r.id === 'quantity';
        const item = new vscode.TreeItem(
          r.label,
          isQuantity ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `route:${r.id}`;
        item.description = r.pathTemplate.replace('/api/v1', '');
        item.tooltip = new vscode.MarkdownString()
          .appendMarkdown(`**GET** \`${r.pathTemplate}\`\n\n`)
          .appendText(r.description);
        item.iconPath = new vscode.ThemeIcon(r.icon);
        item.contextValue = isQuantity ? 'quantityGroup' : 'endpoint:route';
        if (!isQuantity)
          item.command = { command: 'onetwentyone.endpoints.open', title: 'Open in Query Panel', arguments: [element] };
        return item;
      }
      case 'category': {
        const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `category:${element.category}`;
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = 'metricCategory';
        return item;
      }
      case 'metric': {
        const m = element.metric;
        const item = new vscode.TreeItem(m.label, vscode.TreeItemCollapsibleState.None);
        item.id = `metric:${m.name}`;
        item.description = `${m.name} · ${m.unit}`;
        item.tooltip = `GET /api/v1/quantity/{user_id}/${m.name}\n${m.aggregation === 'sum' ? 'Summed' : 'Averaged'} over days, weeks and months.`;
        item.iconPath = new vscode.ThemeIcon('symbol-numeric');
        item.contextValue = 'endpoint:metric';
        item.command = { command: 'onetwentyone.endpoints.open', title: 'Open in Query Panel', arguments: [element] };
        return item;
      }
      case 'freeMetric': {
        const item = new vscode.TreeItem('Query any metric…', vscode.TreeItemCollapsibleState.None);
        item.id = 'freeMetric';
        item.tooltip =
          "Type any HealthKit quantity name, such as appleWalkingSteadiness. The API's full list is not published.";
        item.iconPath = new vscode.ThemeIcon('edit');
        item.contextValue = 'freeMetric';
        item.command = { command: 'onetwentyone.endpoints.enterMetric', title: 'Query Any Quantity Metric…' };
        return item;
      }
    }
  }
}
