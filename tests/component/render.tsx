import type { ReactElement } from 'react'
import { act, fireEvent, render, type RenderResult } from '@testing-library/react'
import type { Member } from '@/contract/auth'
import { useSession } from '@/services/session'

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

/** Types into the real <input> (or <textarea>) that Taro's <Input>/<Textarea> renders on H5. */
export function typeInto(container: HTMLElement, selector: string, value: string): void {
  const input = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(
    `${selector} input, ${selector} textarea`,
  )
  if (!input) throw new Error(`no input inside ${selector}`)
  input.value = value
  fireEvent.input(input, { target: { value } })
}

/** Taps the Taro component matching `selector` and lets the promises it starts settle. */
export async function tap(container: HTMLElement, selector: string): Promise<void> {
  const element = container.querySelector(selector)
  if (!element) throw new Error(`nothing matches ${selector}`)
  await act(async () => {
    fireEvent.click(element)
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

/** Starts a test signed out, with empty storage. */
export function signedOut(): void {
  window.localStorage.clear()
  useSession.setState({ session: null })
}

/** Starts a test signed in as `member`. */
export function signedInAs(member: Member, token = 'token-1'): void {
  window.localStorage.clear()
  useSession.getState().signIn({ token, member })
}
