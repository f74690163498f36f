// The arithmetic of a windowed list: which rows to render for a scroll position.

/** Rows `start` (inclusive) to `end` (exclusive) to render. */
export interface RowWindow {
  start: number;
  end: number;
}

/** The visible rows plus `overscan` rows either side, for rows of a fixed height. */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start: Math.min(start, end), end };
}
