/**
 * The contract between `npm run bench` and a benchmark section. A section is a module exporting a `BenchSection`;
 * `scripts/bench.ts` lists them. Every headline figure is a ratio against a baseline measured in the same run, so
 * a figure never depends on the machine it ran on more than its baseline does.
 */

export interface BenchOptions {
  /** smaller runs for CI smoke tests (`--quick`) */
  quick: boolean;
  /** master seed; sections derive their own seeds from it */
  seed: number;
  /** worker threads a section may use */
  threads: number;
  /** section parameters from `--param key=value` (e.g. `gas-gwei=2`); sections document the keys they read */
  params: Readonly<Record<string, string>>;
  /** the command line that produced the run, printed with the results */
  command: string;
  /** report progress of a long section (one line, no newline needed) */
  progress: (message: string) => void;
}

/** A measured figure next to the baseline it is judged against. */
export interface Figure {
  label: string;
  value: number;
  unit: string;
  baseline: { label: string; value: number; unit: string };
  /** value / baseline.value */
  ratio: number;
  /** the goal for this figure, and whether this run meets it */
  goal?: { text: string; met: boolean };
  note?: string;
}

export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  note?: string;
  /** a detail table: in the JSON and the HTML page, left out of SUMMARY.md to keep it readable */
  detail?: boolean;
}

/** A scatter/line chart; the HTML report draws it as inline SVG. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  series: {
    name: string;
    points: [number, number][];
    /** draw a line through the points (in order); markers only otherwise */
    line?: boolean;
    /** draw markers (default true) */
    markers?: boolean;
    dashed?: boolean;
    /** CSS colour; by default the series' index picks one */
    color?: string;
    /** list the series in the legend (default true) */
    legend?: boolean;
  }[];
}

export interface SectionResult {
  name: string;
  title: string;
  /** one markdown paragraph: what was measured and the verdict */
  summary: string;
  figures: Figure[];
  tables: Table[];
  charts: Chart[];
  /** method and caveats, one markdown bullet each */
  notes: string[];
  /** anything else worth keeping in the JSON (raw per-config numbers, parameters) */
  data?: unknown;
}

export interface BenchSection {
  /** file name of its results (`bench/results/<name>.json`) and the `--only` key */
  name: string;
  title: string;
  run(options: BenchOptions): Promise<SectionResult>;
}

/** What `bench/results/<name>.json` holds: the section's result plus how and when it was produced. */
export interface RecordedResult extends SectionResult {
  meta: {
    command: string;
    quick: boolean;
    seed: number;
    threads: number;
    startedAt: string;
    durationSec: number;
    node: string;
    platform: string;
    cpus: number;
  };
}

/** Build a figure, computing its ratio. */
export function figure(
  label: string,
  value: number,
  unit: string,
  baseline: Figure["baseline"],
  extra: Pick<Figure, "goal" | "note"> = {},
): Figure {
  return { label, value, unit, baseline, ratio: value / baseline.value, ...extra };
}
