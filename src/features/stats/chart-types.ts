// What a dashboard chart is, apart from how it is drawn: shared by the specs, the F2 element trees
// and the page (no imports, so a unit test can load the F2 trees without the app's aliases).

/** How a figure is drawn: bars (one per name), a pie, or a ring with a figure in its middle. */
export type ChartKind = 'bar' | 'pie' | 'ring'

/** One slice or bar: what it is, how many, and its colour. */
export interface ChartDatum {
  name: string
  value: number
  color: string
}

/** A chart of the dashboard: what the canvas draws and the list beside it shows in numbers. */
export interface ChartSpec {
  /** Unique on the page: the canvas id is made from it. */
  key: string
  kind: ChartKind
  title: string
  /** The unit after each number: 人, 分, 单, 份, 次… */
  unit: string
  data: ChartDatum[]
  /** A ring's middle: the main figure and what it is. */
  center?: { value: string; label: string }
  /** Said when every value is 0 (instead of an empty chart). */
  emptyText?: string
}

/** `12,345` — digits grouped the way Chinese reports write them. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}
