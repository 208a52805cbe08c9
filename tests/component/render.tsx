import type { ReactElement } from 'react'
import { act, fireEvent, render, type RenderResult } from '@testing-library/react'
import { getPageInstance, HOOKS_APP_ID } from '@tarojs/runtime'
import type { Member } from '@/contract/auth'
import { useSession } from '@/services/session'
import { resetAllStores } from '@/services/store-reset'

/**
 * Renders a page or component the way the H5 app does (Taro's web components in jsdom) and waits a
 * frame so the components' inner elements (the real <input> inside <taro-input-core>) exist.
 */
export async function mountPage(ui: ReactElement): Promise<RenderResult> {
  const result = render(ui)
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  return result
}

/**
 * Shows the mounted page the way Taro does after mounting it and on every return to it: runs the
 * `useDidShow` callbacks (there is no page around the component here, so they sit on the app's
 * hook instance), then lets the promises they start settle.
 */
export async function showPage(): Promise<void> {
  const hooks = (getPageInstance(HOOKS_APP_ID) ?? {}) as { componentDidShow?: unknown }
  const shows = hooks.componentDidShow
  const callbacks = (Array.isArray(shows) ? shows : [shows]).filter(
    (f): f is () => void => typeof f === 'function',
  )
  await act(async () => {
    for (const show of callbacks) show()
  })
}

/** Types into the real <input> (or <textarea>) that Taro's <Input>/<Textarea> renders on H5. */
export function typeInto(container: HTMLElement, selector: string, value: string): void {
  const input = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(
    `${selector} input, ${selector} textarea`,
  )
  if (!input) throw new Error(`no input inside ${selector}`)
  input.value = value
  fireEvent.input(input, { target: { value } })
}

/**
 * Taps the Taro component matching `selector` and lets the promises it starts settle, then waits a
 * frame as `mountPage` does, so that fields the tap brought up have their inner <input>.
 */
export async function tap(container: HTMLElement, selector: string): Promise<void> {
  const element = container.querySelector(selector)
  if (!element) throw new Error(`nothing matches ${selector}`)
  await act(async () => {
    fireEvent.click(element)
  })
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

/** A member as the server would send it. */
export function aMember(overrides: Partial<Member> = {}): Member {
  return {
    id: 1,
    memberNo: 'M0001',
    name: '张三',
    unionId: 11,
    unionName: '小米工会',
    roles: ['member'],
    ...overrides,
  }
}

/** Starts a test signed out, with empty storage and every store at its start. */
export function signedOut(): void {
  window.localStorage.clear()
  useSession.getState().signOut()
}

/** Starts a test signed in as `member`, with every store at its start. */
export function signedInAs(member: Member, token = 'token-1'): void {
  window.localStorage.clear()
  resetAllStores()
  useSession.getState().signIn({ token, member })
}
