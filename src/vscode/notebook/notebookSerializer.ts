import * as vscode from 'vscode';
import { parseNotebook, serializeNotebook, type FileCell, type FileProblem } from '../../core/notebook/notebookFile';
import { OUTPUT_STRINGS_KEY } from '../../core/notebook/cellOutput';
import { webviewBootstrap } from '../explorer/webviewStrings';
import { QUERY_LANGUAGE, RECORDS_MIME, SETTINGS_LANGUAGE } from './notebookIds';

/** A records output's metadata: the webview's words for the renderer (never written to the file). */
export function outputMetadata(): Record<string, unknown> {
  return { [OUTPUT_STRINGS_KEY]: webviewBootstrap() };
}

/** The metadata that marks the settings cell (the front matter) among the cells. */
const SETTINGS_METADATA = { onetwentyone: 'settings' } as const;

interface CellLike {
  readonly kind: vscode.NotebookCellKind;
  readonly metadata?: Record<string, unknown> | undefined;
  readonly languageId: string;
}

/**
 * The settings cell (the front matter): the one the file opened with, or a YAML cell the user put
 * first, so a notebook without settings gets them by adding one at the top.
 */
export function settingsCellOf<Cell extends CellLike>(cells: readonly Cell[]): Cell | undefined {
  const marked = cells.find(
    (c) => c.kind === vscode.NotebookCellKind.Code && c.metadata?.['onetwentyone'] === 'settings',
  );
  const first = cells[0];
  return (
    marked ??
    (first?.kind === vscode.NotebookCellKind.Code && first.languageId === SETTINGS_LANGUAGE ? first : undefined)
  );
}

/** The settings cell of an open notebook. */
export function notebookSettingsCell(notebook: vscode.NotebookDocument): vscode.NotebookCell | undefined {
  const cells = notebook.getCells().map((cell) => ({
    kind: cell.kind,
    metadata: cell.metadata,
    languageId: cell.document.languageId,
    cell,
  }));
  return settingsCellOf(cells)?.cell;
}

/** The settings cell (the front matter's text), marked so it stays the settings wherever it moves. */
export function settingsCellData(text: string): vscode.NotebookCellData {
  const settings = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, text, SETTINGS_LANGUAGE);
  settings.metadata = { ...SETTINGS_METADATA };
  return settings;
}

/** What a new, empty file opens with: the settings to fill in and one query cell using them. */
const NEW_NOTEBOOK = `---
# The user whose data the cells query (as the Accounts view names them), and the dates they use.
account:
from: 2024-01-01
to: 2024-01-07
saveOutputs: false
---

\`\`\`onetwentyone
route: quantity
metric: stepCount
startDate: {{from}}
endDate: {{to}}
\`\`\`
`;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Reads and writes `*.121nb` files through the core's file format. A file that does not parse
 * still opens with all its text; what is wrong with it is reported to `onProblems`.
 */
export class NotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly _onProblems: (problems: readonly FileProblem[]) => void) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const text = decoder.decode(content);
    const { notebook, problems } = parseNotebook(text.trim() === '' ? NEW_NOTEBOOK : text);
    if (problems.length) this._onProblems(problems);
    const cells: vscode.NotebookCellData[] = [];
    if (notebook.settings !== undefined) cells.push(settingsCellData(notebook.settings));
    for (const cell of notebook.cells) {
      if (cell.kind === 'markdown') {
        cells.push(new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, cell.text, 'markdown'));
        continue;
      }
      const data = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell.text, QUERY_LANGUAGE);
      if (cell.output !== undefined)
        data.outputs = [
          new vscode.NotebookCellOutput(
            [vscode.NotebookCellOutputItem.text(cell.output, RECORDS_MIME)],
            outputMetadata(),
          ),
        ];
      cells.push(data);
    }
    return new vscode.NotebookData(cells);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const settingsCell = settingsCellOf(data.cells);
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
