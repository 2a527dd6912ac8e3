/**
 * The text of a OneTwentyOne notebook file (`*.121nb`): Markdown that reads well in a diff. An
 * optional front matter (`---` lines) holds the notebook's settings, a fenced block whose info
 * string is `onetwentyone` is a query cell, a fenced `onetwentyone-output` block right after one is
 * its saved output, and the rest is Markdown; `<!-- cell -->` separates two Markdown cells.
 *
 * Splitting is purely textual and keeps every character of a cell: what a cell says is checked
 * later (settings.ts, queryCell.ts), so a cell that does not make sense still opens with its text.
 */
import { parseSettings } from './settings';

export const QUERY_FENCE_INFO = 'onetwentyone';
export const OUTPUT_FENCE_INFO = 'onetwentyone-output';
export const MARKDOWN_SEPARATOR = '<!-- cell -->';
const FRONT_MATTER_FENCE = '---';

export type FileCell =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'query'; readonly text: string; readonly output?: string | undefined };

export interface NotebookFile {
  /** The front matter's lines without the `---` fences; undefined when the file has none. */
  readonly settings?: string | undefined;
  readonly cells: readonly FileCell[];
}

/** Something the file itself got wrong (the cells' own problems are found when they are checked). */
export interface FileProblem {
  /** 0-based line of the file. */
  readonly line: number;
  readonly message: string;
}

export interface ParsedFile {
  readonly notebook: NotebookFile;
  readonly problems: readonly FileProblem[];
}

const QUERY_OPEN = new RegExp(`^(\`{3,})${QUERY_FENCE_INFO}[ \\t]*$`);
const OUTPUT_OPEN = new RegExp(`^(\`{3,})${OUTPUT_FENCE_INFO}[ \\t]*$`);
const FENCE_CLOSE = /^(`{3,})[ \t]*$/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function trimBlankLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start] ?? '')) start++;
  while (end > start && isBlank(lines[end - 1] ?? '')) end--;
  return lines.slice(start, end);
}

/** A fenced block's body from `open + 1`, to its closing fence or, unclosed, to the end. */
function fencedBody(lines: readonly string[], open: number, fence: string) {
  for (let i = open + 1; i < lines.length; i++) {
    const close = FENCE_CLOSE.exec(lines[i] ?? '');
    if (close && (close[1] ?? '').length >= fence.length) return { body: lines.slice(open + 1, i), next: i + 1 };
  }
  return { body: lines.slice(open + 1), next: lines.length, unclosed: true };
}

export function parseNotebook(content: string): ParsedFile {
  const lines = content.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const problems: FileProblem[] = [];
  const cells: FileCell[] = [];
  let settings: string | undefined;
  let i = 0;
  if (lines[0] === FRONT_MATTER_FENCE) {
    const close = lines.indexOf(FRONT_MATTER_FENCE, 1);
    if (close === -1)
      problems.push({ line: 0, message: 'The front matter has no closing "---"; it is read as Markdown.' });
    else {
      settings = lines.slice(1, close).join('\n');
      i = close + 1;
    }
  }
  let markdown: string[] = [];
  const flushMarkdown = () => {
    const kept = trimBlankLines(markdown);
    if (kept.length) cells.push({ kind: 'markdown', text: kept.join('\n') });
    markdown = [];
  };
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const query = QUERY_OPEN.exec(line);
    const output = OUTPUT_OPEN.exec(line);
    const last = cells.at(-1);
    if (query) {
      flushMarkdown();
      const { body, next, unclosed } = fencedBody(lines, i, query[1] ?? '```');
      if (unclosed)
        problems.push({ line: i, message: 'This query cell has no closing fence; it runs to the end of the file.' });
      cells.push({ kind: 'query', text: body.join('\n') });
      i = next;
    } else if (output && trimBlankLines(markdown).length === 0 && last?.kind === 'query' && last.output === undefined) {
      const { body, next, unclosed } = fencedBody(lines, i, output[1] ?? '```');
      if (unclosed)
        problems.push({ line: i, message: 'This saved output has no closing fence; it runs to the end of the file.' });
      markdown = [];
      cells[cells.length - 1] = { ...last, output: body.join('\n') };
      i = next;
    } else if (line === MARKDOWN_SEPARATOR) {
      flushMarkdown();
      i++;
    } else {
      if (output)
        problems.push({ line: i, message: 'A saved output belongs right after its query cell; kept as Markdown.' });
      markdown.push(line);
      i++;
    }
  }
  flushMarkdown();
  return { notebook: { ...(settings !== undefined ? { settings } : {}), cells }, problems };
}

/** A fence longer than any run of backticks that starts a line of the body, so the body cannot close it. */
function fenceFor(body: string): string {
  let longest = 2;
  for (const match of body.matchAll(/^`+/gm)) longest = Math.max(longest, match[0].length);
  return '`'.repeat(longest + 1);
}

function fenced(info: string, body: string): string {
  const fence = fenceFor(body);
  return body === '' ? `${fence}${info}\n${fence}` : `${fence}${info}\n${body}\n${fence}`;
}

/**
 * The file's text. Saved outputs are written only when the notebook's settings say `saveOutputs:
 * true`: results are health data, and a notebook is meant for git.
 */
export function serializeNotebook(notebook: NotebookFile): string {
  const saveOutputs = notebook.settings !== undefined && parseSettings(notebook.settings).saveOutputs;
  const blocks: string[] = [];
  if (notebook.settings !== undefined)
    blocks.push(notebook.settings === '' ? '---\n---' : `---\n${notebook.settings}\n---`);
  let previous: FileCell['kind'] | undefined;
  for (const cell of notebook.cells) {
    if (cell.kind === 'markdown') {
      if (previous === 'markdown') blocks.push(MARKDOWN_SEPARATOR);
      blocks.push(cell.text);
    } else {
      blocks.push(fenced(QUERY_FENCE_INFO, cell.text));
      if (saveOutputs && cell.output !== undefined) blocks.push(fenced(OUTPUT_FENCE_INFO, cell.output));
    }
    previous = cell.kind;
  }
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}
