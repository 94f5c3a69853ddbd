// A plain-text table that fits a terminal: columns as wide as their cells, and when the terminal is narrower,
// the columns named first give way (cut with "…") down to the width of their heading. Pure.

export interface FitOptions {
  /** The terminal's width; none = every column as wide as its widest cell. */
  columns?: number;
  /** Column indexes in the order they give way. Columns not listed keep their width. */
  shrinkOrder?: readonly number[];
  /** Between columns. */
  gap?: number;
}

const width = (s: string) => [...s].length;

function cut(s: string, w: number): string {
  const chars = [...s];
  return chars.length <= w ? s : `${chars.slice(0, Math.max(0, w - 1)).join('')}…`;
}

/** The table's lines: the first row is the heading. */
export function fitColumns(rows: readonly (readonly string[])[], o: FitOptions = {}): string[] {
  const gap = o.gap ?? 2;
  // reduce, not Math.max(...rows): a spread of a million rows overflows the call stack.
  const n = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const widths = Array.from({ length: n }, (_, i) =>
    rows.reduce((m, r) => Math.max(m, width(r[i] ?? '')), 0),
  );
  if (o.columns !== undefined) {
    let over = widths.reduce((a, w) => a + w, 0) + gap * Math.max(0, n - 1) - o.columns;
    for (const i of o.shrinkOrder ?? []) {
      if (over <= 0) break;
      const floor = Math.min(widths[i]!, Math.max(4, width(rows[0]?.[i] ?? '')));
      const take = Math.min(over, widths[i]! - floor);
      widths[i]! -= take;
      over -= take;
    }
  }
  return rows.map((r) =>
    widths
      .map((w, i) => {
        const cell = cut(r[i] ?? '', w);
        return i === n - 1 ? cell : cell.padEnd(w + (cell.length - width(cell)));
      })
      .join(' '.repeat(gap))
      .trimEnd(),
  );
}
