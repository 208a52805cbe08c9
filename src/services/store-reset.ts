import type { StoreApi } from 'zustand'

const resets = new Set<() => void>()

/** How a store goes back to its start. */
export interface ResetOptions<S> {
  /** Values computed at reset time (today's date), laid over the state the store was created with. */
  initial?: () => Partial<S>
  /** Forgets what the store keeps outside its state (pending idempotency keys, request counters). */
  also?: () => void
}

/**
 * Registers a store to go back to the state it was created with when the signed-in member changes
 * (sign-out, or another member signing in on this device), so nobody sees the previous member's
 * data.
 */
export function registerReset<S>(store: StoreApi<S>, options: ResetOptions<S> = {}): void {
  resets.add(() => {
    options.also?.()
    store.setState({ ...store.getInitialState(), ...options.initial?.() }, true)
  })
}

/**
 * Registers what a module keeps outside any store (copies and drafts on the device) to be
 * forgotten at the same moments: sign-out, or another member signing in on this device.
 */
export function registerForget(forget: () => void): void {
  resets.add(forget)
}

/** Puts every registered store back to its start (the session calls this when the member changes). */
export function resetAllStores(): void {
  for (const reset of resets) reset()
}
