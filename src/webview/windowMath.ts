/**
 * Which rows a virtualized list shows for a scroll position. Past MAX_SCROLL_HEIGHT the list scrolls in
 * scaled mode: Chromium caps an element's height at about 33.5 M px (1.6 M rows of 20 px), and a
 * five-year heart-rate result (2.63 M records) is taller than that.
 */

export const MAX_SCROLL_HEIGHT = 10_000_000;

export interface ViewportInput {
  readonly scrollTop: number;
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly totalRows: number;
  readonly overscan: number;
}

export interface ViewportWindow {
  /** Height of the spacer that makes the scrollbar. */
  readonly scrollHeight: number;
  /** First and last (exclusive) rows to render, overscan included. */
  readonly first: number;
  readonly end: number;
  /** Row that sits at the top edge of the viewport. */
  readonly topRow: number;
  /** Pixel offset (inside the spacer) where row `first` is drawn. */
  readonly offsetTop: number;
}

export function scrollHeightFor(totalRows: number, rowHeight: number): number {
  return Math.min(totalRows * rowHeight, MAX_SCROLL_HEIGHT);
}

export function computeWindow(input: ViewportInput): ViewportWindow {
  const { viewportHeight, rowHeight, totalRows, overscan } = input;
  const fullHeight = totalRows * rowHeight;
  const scrollHeight = scrollHeightFor(totalRows, rowHeight);
  const visibleRows = Math.max(1, Math.ceil(viewportHeight / rowHeight));
  const maxScrollTop = Math.max(0, scrollHeight - viewportHeight);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScrollTop);
  let topRow: number;
  let topOffsetPx: number;
  if (fullHeight <= MAX_SCROLL_HEIGHT) {
    topRow = Math.floor(scrollTop / rowHeight);
    topOffsetPx = topRow * rowHeight;
  } else {
    // Scaled: the scroll fraction picks the row; rows are drawn at the viewport's top edge.
    const maxTopRow = Math.max(0, totalRows - visibleRows);
    topRow = maxScrollTop === 0 ? 0 : Math.round((scrollTop / maxScrollTop) * maxTopRow);
    topOffsetPx = scrollTop;
  }
  topRow = Math.min(topRow, Math.max(0, totalRows - 1));
  const first = Math.max(0, topRow - overscan);
  const end = Math.min(totalRows, topRow + visibleRows + overscan);
  return { scrollHeight, first, end, topRow, offsetTop: topOffsetPx - (topRow - first) * rowHeight };
}

/** The scrollTop that brings `row` to the top of the viewport (inverse of computeWindow). */
export function scrollTopForRow(row: number, input: Omit<ViewportInput, 'scrollTop' | 'overscan'>): number {
  const { viewportHeight, rowHeight, totalRows } = input;
  const fullHeight = totalRows * rowHeight;
  if (fullHeight <= MAX_SCROLL_HEIGHT) return row * rowHeight;
  const scrollHeight = scrollHeightFor(totalRows, rowHeight);
  const visibleRows = Math.max(1, Math.ceil(viewportHeight / rowHeight));
  const maxTopRow = Math.max(1, totalRows - visibleRows);
  const maxScrollTop = Math.max(0, scrollHeight - viewportHeight);
  return (Math.min(row, maxTopRow) / maxTopRow) * maxScrollTop;
}

/** The scrollTop that keeps `row` visible, moving as little as possible. */
export function scrollTopToReveal(
  row: number,
  current: ViewportWindow,
  input: Omit<ViewportInput, 'scrollTop' | 'overscan'> & { scrollTop: number },
): number {
  const visibleRows = Math.max(1, Math.floor(input.viewportHeight / input.rowHeight));
  if (row < current.topRow) return scrollTopForRow(row, input);
  if (row >= current.topRow + visibleRows) return scrollTopForRow(row - visibleRows + 1, input);
  return input.scrollTop;
}
