import * as vscode from 'vscode';
import { parseNotebook, serializeNotebook, type FileCell, type FileProblem } from '../../core/notebook/notebookFile';
import { QUERY_LANGUAGE, RECORDS_MIME, SETTINGS_LANGUAGE } from './notebookIds';

/** The metadata that marks the settings cell (the front matter) among the cells. */
const SETTINGS_METADATA = { onetwentyone: 'settings' } as const;

export function isSettingsCell(cell: { kind: vscode.NotebookCellKind; metadata?: Record<string, unknown> }): boolean {
  return cell.kind === vscode.NotebookCellKind.Code && cell.metadata?.['onetwentyone'] === 'settings';
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Reads and writes `*.121nb` files through the core's file format. A file that does not parse
 * still opens with all its text; what is wrong with it is reported to `onProblems`.
 */
export class NotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly _onProblems: (problems: readonly FileProblem[]) => void) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const { notebook, problems } = parseNotebook(decoder.decode(content));
    if (problems.length) this._onProblems(problems);
    const cells: vscode.NotebookCellData[] = [];
    if (notebook.settings !== undefined) {
      const settings = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, notebook.settings, SETTINGS_LANGUAGE);
      settings.metadata = { ...SETTINGS_METADATA };
      cells.push(settings);
    }
    for (const cell of notebook.cells) {
      if (cell.kind === 'markdown') {
        cells.push(new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, cell.text, 'markdown'));
        continue;
      }
      const data = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell.text, QUERY_LANGUAGE);
      if (cell.output !== undefined)
        data.outputs = [new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(cell.output, RECORDS_MIME)])];
      cells.push(data);
    }
    return new vscode.NotebookData(cells);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const settingsCell = data.cells.find(isSettingsCell);
    const cells = data.cells.filter((c) => c !== settingsCell).map(fileCellOf);
    return encoder.encode(serializeNotebook({ ...(settingsCell ? { settings: settingsCell.value } : {}), cells }));
  }
}

function fileCellOf(cell: vscode.NotebookCellData): FileCell {
  if (cell.kind === vscode.NotebookCellKind.Markup) return { kind: 'markdown', text: cell.value };
  if (cell.languageId !== QUERY_LANGUAGE)
    // A cell of another language has no runner here: it is kept as Markdown's fenced code.
    return { kind: 'markdown', text: `\`\`\`${cell.languageId}\n${cell.value}\n\`\`\`` };
  const item = cell.outputs?.flatMap((o) => o.items).find((i) => i.mime === RECORDS_MIME);
  // Whether the output is written is the notebook's saveOutputs setting (serializeNotebook decides).
  return { kind: 'query', text: cell.value, ...(item ? { output: decoder.decode(item.data) } : {}) };
}
