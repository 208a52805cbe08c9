import Taro from '@tarojs/taro'
import { Canvas } from '@antv/f2'
import type { ChartSpec } from './chart-types'
import { chartElement } from './f2-elements'

// AntV F2 draws the dashboard's charts on a 2D canvas: the `type="2d"` <Canvas> node in the
// mini-program, the <canvas> inside Taro's <taro-canvas-core> on H5. This module is imported by
// the stats page only, so F2 is bundled into the staff subpackage, never the main package.

/** The canvas to draw on, with its size in CSS pixels. */
export interface CanvasTarget {
  node: {
    width: number
    height: number
    getContext(kind: '2d'): unknown
    /** The mini-program canvas node's own frame timer and image maker (no globals there). */
    requestAnimationFrame?: (callback: () => void) => number
    cancelAnimationFrame?: (id: number) => void
    createImage?: () => unknown
  }
  width: number
  height: number
  pixelRatio: number
}

/** A drawn chart: `destroy` before the canvas goes away. */
export interface DrawnChart {
  destroy(): void
}

/** The device's pixel ratio (sharp text on phones), 2 when unknown. */
function pixelRatio(): number {
  if (process.env.TARO_ENV === 'h5') {
    return typeof window !== 'undefined' && window.devicePixelRatio ? window.devicePixelRatio : 2
  }
  try {
    return Taro.getWindowInfo().pixelRatio || 2
  } catch {
    return 2
  }
}

/**
 * Finds the canvas node of `<Canvas type="2d" id={id}>` after it rendered. `fallback` is its size
 * when the layout gives none (a hidden page).
 */
export function findCanvas(
  id: string,
  fallback: { width: number; height: number },
): Promise<CanvasTarget | null> {
  if (process.env.TARO_ENV === 'h5') {
    // Taro's <Canvas> is a web component that renders its inner <canvas> a moment after it is
    // attached: wait for it (a frame at a time, at most ~2 s) instead of drawing nothing.
    return new Promise((resolve) => {
      let tries = 0
      const look = () => {
        const host = document.getElementById(id)
        const node =
          host instanceof HTMLCanvasElement ? host : (host?.querySelector('canvas') ?? null)
        if (!node) {
          if (++tries > 120) resolve(null)
          else setTimeout(look, 16)
          return
        }
        const box = (host ?? node).getBoundingClientRect()
        resolve({
          node,
          width: box.width || fallback.width,
          height: box.height || fallback.height,
          pixelRatio: pixelRatio(),
        })
      }
      look()
    })
  }
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true }, () => undefined)
      .exec(
        (res: Array<{ node?: CanvasTarget['node']; width?: number; height?: number } | null>) => {
          const found = res?.[0]
          if (!found?.node) {
            resolve(null)
            return
          }
          resolve({
            node: found.node,
            width: found.width || fallback.width,
            height: found.height || fallback.height,
            pixelRatio: pixelRatio(),
          })
        },
      )
  })
}

/**
 * What F2 needs in a mini-program, where there is no DOM: the node's frame timer and image maker,
 * and an offscreen canvas to measure text on (F2 would otherwise ask `document` for a canvas).
 */
function miniProgramCanvas(node: CanvasTarget['node']): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (node.requestAnimationFrame) out.requestAnimationFrame = node.requestAnimationFrame.bind(node)
  if (node.cancelAnimationFrame) out.cancelAnimationFrame = node.cancelAnimationFrame.bind(node)
  if (node.createImage) out.createImage = () => node.createImage!()
  try {
    out.offscreenCanvas = Taro.createOffscreenCanvas({ type: '2d', width: 1, height: 1 })
  } catch {
    // An old base library without offscreen canvases: F2 measures on the chart's own context.
  }
  return out
}

/** Draws `spec` on `target` (sized for its pixel ratio); without animation, once per data. */
export async function drawChart(target: CanvasTarget, spec: ChartSpec): Promise<DrawnChart> {
  const { node, width, height, pixelRatio: ratio } = target
  node.width = Math.round(width * ratio)
  node.height = Math.round(height * ratio)
  const context = node.getContext('2d') as CanvasRenderingContext2D | null
  if (!context) throw new Error('no 2d context')
  const canvas = new Canvas({
    context,
    pixelRatio: ratio,
    width,
    height,
    animate: false,
    children: chartElement(spec, width),
    ...(process.env.TARO_ENV === 'h5' ? {} : miniProgramCanvas(node)),
  })
  await canvas.render()
  return { destroy: () => canvas.destroy() }
}
