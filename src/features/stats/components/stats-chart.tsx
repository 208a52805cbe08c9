import { useEffect, useMemo, useState } from 'react'
import Taro from '@tarojs/taro'
import { Canvas, Text, View } from '@tarojs/components'
import { formatCount, formatShare, shareOf, type ChartSpec } from '@/features/stats/chart-spec'
import { drawChart, findCanvas, type DrawnChart } from '@/features/stats/f2-chart'

/** Props of one dashboard chart. */
export interface StatsChartProps {
  spec: ChartSpec
}

/** The chart's height in CSS pixels: a bar per row, or a square-ish ring. */
function heightOf(spec: ChartSpec): number {
  return spec.kind === 'bar' ? 24 + spec.data.length * 36 : 200
}

/**
 * One chart: its title, the picture (AntV F2 on a 2D canvas) and under it every figure in words and
 * numbers — for screen readers, for large text, and should the canvas fail to draw. A pie or
 * ring says each part's share too; a ring shows its main figure in the middle.
 */
export function StatsChart({ spec }: StatsChartProps) {
  const id = `stats-chart-${spec.key}`
  const total = spec.data.reduce((s, d) => s + d.value, 0)
  const empty = spec.data.every((d) => d.value === 0)
  const height = heightOf(spec)
  const [failed, setFailed] = useState(false)
  // Redraw when the figures change, not on every render.
  const signature = useMemo(
    () => JSON.stringify([spec.kind, spec.data.map((d) => [d.name, d.value, d.color])]),
    [spec],
  )

  useEffect(() => {
    if (empty) return undefined
    let drawn: DrawnChart | null = null
    let gone = false
    Taro.nextTick(() => {
      findCanvas(id, { width: 320, height })
        .then((target) => (target && !gone ? drawChart(target, spec) : null))
        .then((chart) => {
          if (gone) chart?.destroy()
          else drawn = chart
        })
        .catch(() => {
          if (!gone) setFailed(true)
        })
    })
    return () => {
      gone = true
      drawn?.destroy()
    }
    // The signature stands for the spec's figures.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, signature, empty, height])

  const unit = spec.unit
  return (
    <View className="stats-chart" data-chart={spec.key}>
      <Text className="stats-chart-title">{spec.title}</Text>
      {empty ? (
        <Text className="stats-chart-empty">{spec.emptyText ?? '暂无数据'}</Text>
      ) : (
        <View className="stats-chart-picture" aria-hidden="true">
          {!failed && (
            <Canvas
              type="2d"
              id={id}
              canvasId={id}
              className="stats-chart-canvas"
              style={{ width: '100%', height: `${height}px` }}
            />
          )}
          {spec.center && !failed && (
            <View className="stats-chart-center" style={{ height: `${height}px` }}>
              <Text className="stats-chart-center-value">{spec.center.value}</Text>
              <Text className="stats-chart-center-label">{spec.center.label}</Text>
            </View>
          )}
        </View>
      )}
      {spec.center && (
        <Text className="stats-chart-sr">
          {spec.center.label}：{spec.center.value}
        </Text>
      )}
      <View className="stats-chart-legend">
        {spec.data.map((d) => (
          <View key={d.name} className="stats-legend-row">
            <View className="stats-legend-swatch" style={{ backgroundColor: d.color }} />
            <Text className="stats-legend-name">{d.name}</Text>
            <Text className="stats-legend-value">
              {formatCount(d.value)}
              {unit}
              {spec.kind !== 'bar' && !empty ? `（${formatShare(shareOf(d.value, total))}）` : ''}
            </Text>
          </View>
        ))}
      </View>
    </View>
  )
}
