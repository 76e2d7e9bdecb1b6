/**
 * Horizontal bar charts as plain geometry (pure): the template draws them as inline SVG, so the page needs
 * no script and no chart library, and every label stays escaped by the template engine.
 */

export interface ChartRow {
  label: string;
  current: number | null;
  previous: number | null;
}

export interface ChartBar {
  label: string;
  /** Top of the row's pair of bars. */
  y: number;
  current: { value: number; width: number };
  previous: { value: number; width: number };
}

export interface BarChart {
  width: number;
  height: number;
  /** Where bars start: labels are written to the left of it. */
  barsX: number;
  barHeight: number;
  bars: ChartBar[];
}

const LAYOUT = { width: 720, barsX: 260, valueSpace: 70, barHeight: 12, rowGap: 12, top: 4 };

/** One row per category, the current period's bar above the previous one's, both on the same scale. */
export function barChart(rows: readonly ChartRow[]): BarChart {
  const { width, barsX, valueSpace, barHeight, rowGap, top } = LAYOUT;
  const max = Math.max(0, ...rows.flatMap((r) => [r.current ?? 0, r.previous ?? 0]));
  const span = width - barsX - valueSpace;
  const scaled = (value: number | null) => ({ value: value ?? 0, width: max > 0 ? Math.round(((value ?? 0) / max) * span) : 0 });
  const rowHeight = 2 * barHeight + rowGap;
  return {
    width,
    height: top + rows.length * rowHeight,
    barsX,
    barHeight,
    bars: rows.map((row, index) => ({
      label: row.label,
      y: top + index * rowHeight,
      current: scaled(row.current),
      previous: scaled(row.previous),
    })),
  };
}
