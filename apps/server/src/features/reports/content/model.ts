// What every report is made of before it is rendered: a title and a list of blocks. Each kind gathers its data into
// this model once; the PDF renderer draws all of it, the CSV renderer writes its tables (facts included), one
// section after another. Cells keep their raw values (numbers, dates) and a kind that says how to show them, so the
// PDF says "97.62 %" and "4 h 0 min" while the CSV keeps 97.62 and 14400.

/** How a value is shown: in the PDF (with units) and in the CSV (raw, the unit in the header). */
export type CellKind = 'text' | 'int' | 'number' | 'pct' | 'duration' | 'time' | 'bytes' | 'bps' | 'celsius' | 'volt';

export type Cell = string | number | boolean | Date | null;

export type Column = {
  header: string;
  kind?: CellKind;
  /** Relative width in the PDF (default 1). */
  width?: number;
  align?: 'left' | 'right';
};

export type Fact = { label: string; value: Cell; kind?: CellKind };

/** One line of a line chart: points as [Unix seconds, value or null (a gap)]. */
export type ChartSeries = { name: string; points: Array<[number, number | null]> };

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'facts'; title: string; facts: Fact[] }
  | { type: 'table'; title: string; columns: Column[]; rows: Cell[][]; empty?: string; note?: string }
  | {
      type: 'line-chart';
      title: string;
      unit: string;
      series: ChartSeries[];
      /** Fixed y range (percentages: 0..100); otherwise from the data. */
      yMin?: number;
      yMax?: number;
      /** How values are written on the axis (bit/s scale by 1000s). */
      kind?: 'number' | 'bps';
    }
  | {
      type: 'bar-chart';
      title: string;
      bars: Array<{ label: string; value: number | null }>;
      /** Percent bars from `min` to 100, with the target drawn as a line. */
      min: number;
      target?: number;
    };

export type ReportDoc = {
  title: string;
  /** Lines under the title on the first page (scope, notes). */
  subtitle: string[];
  blocks: Block[];
  /** Figures for the caller (stored with the report, shown in lists). */
  summary: Record<string, unknown>;
};
