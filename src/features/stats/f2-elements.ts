import { Axis, Chart, Interval, PieLabel, TextGuide, jsx } from '@antv/f2'
import { formatCount, type ChartSpec } from './chart-types'

// The dashboard's charts as AntV F2 element trees: horizontal bars with their values, or a pie
// or ring with labels. Free of Taro, so that a unit test renders them with the real F2 on a
// recording context, the way a mini-program (no DOM) draws them.

const FONT = 12

type F2Element = ReturnType<typeof jsx>
/**
 * F2's `jsx` (its classic createElement, so no JSX pragma mixes with React's here). Its declared
 * element type does not admit F2's own generic component classes, so the call is typed loosely
 * once, here.
 */
const el = jsx as unknown as (
  type: unknown,
  props: Record<string, unknown>,
  ...children: F2Element[]
) => F2Element

/** The F2 element tree of a chart: horizontal bars with their values, or a pie or ring with labels. */
export function chartElement(spec: ChartSpec, width: number) {
  const names = spec.data.map((d) => d.name)
  // Each bar or slice keeps its own colour, whichever slices are left out (empty ones).
  const colorOf = new Map(spec.data.map((d) => [d.name, d.color]))
  const color = { field: 'name', callback: (name: string) => colorOf.get(name) }
  if (spec.kind === 'bar') {
    const max = Math.max(1, ...spec.data.map((d) => d.value))
    return el(
      Chart,
      {
        data: spec.data,
        coord: { transposed: true },
        // Room at the end of the longest bar for its number.
        // A transposed axis starts at the bottom: reversed, the bars read top down like the list.
        scale: {
          value: { min: 0, max: max * 1.25, nice: false },
          name: { values: [...names].reverse() },
        },
      },
      el(Axis, { field: 'name', style: { label: { fontSize: FONT, fill: '#595959' } } }),
      el(Axis, { field: 'value', visible: false }),
      el(Interval, { x: 'name', y: 'value', color, size: Math.min(24, width / 16) }),
      ...spec.data.map((d) =>
        el(TextGuide, {
          records: [d],
          content: formatCount(d.value),
          offsetX: 4,
          style: { fontSize: FONT, fill: '#262626', textAlign: 'start', textBaseline: 'middle' },
        }),
      ),
    )
  }
  const shown = spec.data.filter((d) => d.value > 0).map((d) => ({ ...d, all: '全部' }))
  return el(
    Chart,
    {
      data: shown,
      coord: {
        type: 'polar',
        transposed: true,
        innerRadius: spec.kind === 'ring' ? 0.62 : 0,
        radius: 0.72,
      },
      scale: { name: { values: shown.map((d) => d.name) } },
    },
    el(Interval, { x: 'all', y: 'value', adjust: 'stack', color }),
    el(PieLabel, {
      sidePadding: 6,
      label1: (d: { name: string }) => ({ text: d.name, fontSize: FONT, fill: '#595959' }),
      label2: (d: { value: number }) => ({
        text: formatCount(d.value),
        fontSize: FONT,
        fill: '#262626',
        fontWeight: 'bold',
      }),
    }),
  )
}
