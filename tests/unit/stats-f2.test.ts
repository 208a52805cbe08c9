/**
 * 数据看板's charts through the real AntV F2, in Node: no DOM, as in the mini-program, where F2 gets
 * the canvas' 2D context, a frame timer and an offscreen canvas to measure text on (what
 * src/features/stats/f2-chart.ts hands it there). The context records what F2 draws: each bar's
 * and slice's number must be written, each slice filled in its own colour.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Canvas } from '@antv/f2'
import { chartElement } from '../../src/features/stats/f2-elements'
import type { ChartSpec } from '../../src/features/stats/chart-types'

interface Drawn {
  texts: string[]
  /** fillStyle at each fill() */
  fills: string[]
  rects: number
  arcs: number
}

/** A 2D context that draws nothing and records the calls that put ink on the canvas. */
function recordingContext(width: number, height: number) {
  const drawn: Drawn = { texts: [], fills: [], rects: 0, arcs: 0 }
  const state: Record<string, unknown> = { fillStyle: '#000', font: '12px sans-serif' }
  const canvas = { width, height, style: {} }
  const context: Record<string | symbol, unknown> = new Proxy(state, {
    get(target, key) {
      if (key === 'canvas') return canvas
      if (key in target) return target[key as string]
      switch (key) {
        case 'measureText':
          return (text: string) => ({ width: [...String(text)].length * 7 })
        case 'getImageData':
          return (_x: number, _y: number, w: number, h: number) => ({
            data: new Uint8ClampedArray(Math.max(1, w) * Math.max(1, h) * 4),
          })
        case 'fillText':
          return (text: string) => drawn.texts.push(String(text))
        case 'fill':
          return () => drawn.fills.push(String(target.fillStyle))
        case 'rect':
        case 'fillRect':
          return () => drawn.rects++
        case 'arc':
          return () => drawn.arcs++
        default:
          return () => undefined
      }
    },
    set(target, key, value) {
      target[key as string] = value
      return true
    },
  })
  return { context, canvas, drawn }
}

async function draw(spec: ChartSpec): Promise<Drawn> {
  const width = 320
  const height = 240
  const { context, canvas, drawn } = recordingContext(width * 2, height * 2)
  const offscreen = recordingContext(1, 1)
  let live = true
  const chart = new Canvas({
    context,
    pixelRatio: 2,
    width,
    height,
    animate: false,
    children: chartElement(spec, width),
    offscreenCanvas: { ...offscreen.canvas, getContext: () => offscreen.context },
    // Frames until the test has what it needs; then the frame loop stops before the chart goes.
    requestAnimationFrame: (f: () => void) => (live ? setTimeout(f, 0) : undefined),
    cancelAnimationFrame: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
  } as unknown as ConstructorParameters<typeof Canvas>[0])
  await chart.render()
  // F2 paints on the next frame.
  await new Promise((resolve) => setTimeout(resolve, 50))
  live = false
  await new Promise((resolve) => setTimeout(resolve, 20))
  chart.destroy()
  assert.equal(canvas.width, width * 2)
  return drawn
}

test('bars: every value is written at its bar, in the order of the list', async () => {
  const drawn = await draw({
    key: 'points',
    kind: 'bar',
    title: '积分收支',
    unit: '分',
    data: [
      { name: '发放', value: 1050, color: '#d4380d' },
      { name: '兑换使用', value: 120, color: '#1677ff' },
      { name: '到期清零', value: 40, color: '#fa8c16' },
    ],
  })
  for (const text of ['1,050', '120', '40', '发放', '兑换使用', '到期清零']) {
    assert.ok(drawn.texts.includes(text), `"${text}" drawn (drew ${drawn.texts.join(' | ')})`)
  }
  for (const color of ['#d4380d', '#1677ff', '#fa8c16']) {
    assert.ok(drawn.fills.includes(color), `a bar in ${color} (fills ${drawn.fills.join(' ')})`)
  }
})

test('ring: a slice per non-empty part in its own colour, labelled with name and number', async () => {
  const drawn = await draw({
    key: 'cooling',
    kind: 'ring',
    title: '礼包覆盖',
    unit: '人',
    data: [
      { name: '自选礼包', value: 6, color: '#d4380d' },
      { name: '默认礼包', value: 0, color: '#fa8c16' },
      { name: '未覆盖', value: 4, color: '#d9d9d9' },
    ],
    center: { value: '60%', label: '覆盖率' },
  })
  for (const text of ['自选礼包', '6', '未覆盖', '4']) {
    assert.ok(drawn.texts.includes(text), `"${text}" drawn (drew ${drawn.texts.join(' | ')})`)
  }
  assert.ok(!drawn.texts.includes('默认礼包'), 'an empty part gets no slice or label')
  assert.ok(drawn.fills.includes('#d4380d') && drawn.fills.includes('#d9d9d9'), drawn.fills.join())
  assert.ok(!drawn.fills.includes('#fa8c16'), 'no slice in the empty part’s colour')
})
