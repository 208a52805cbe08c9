import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { createQrTicket, qrTicket } from '@/services/auth'
import { ApiError, errorMessage } from '@/services/http'
import { useSession } from '@/services/session'
import { HOME_PAGE } from '@/features/auth/use-sign-in'

/** How often the web page asks whether its QR was approved. */
export const QR_POLL_MS = 2000

/** What the QR panel shows. */
export type QrSignInState =
  | { phase: 'loading' }
  | { phase: 'pending'; ticket: string; expiresAt: string; offline: boolean }
  | { phase: 'expired' }
  | { phase: 'signed-in' }
  | { phase: 'error'; message: string }

/**
 * Scan-to-sign-in on H5: asks for a ticket, polls it every 2 s while the page is shown, and signs in
 * with the token the first poll after approval carries. An expired ticket is replaced once on its
 * own; after that the person taps to refresh (an unattended page does not mint tickets forever).
 */
export function useQrSignIn() {
  const [state, setState] = useState<QrSignInState>({ phase: 'loading' })
  // Every start, sign-in, hide and unmount bumps the generation: answers of older ones are dropped.
  const generation = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const autoRefreshed = useRef(false)
  const visible = useRef(true)
  const current = useRef<{ ticket: string } | null>(null)

  const clearTimer = () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
  }

  /** Drops every answer still on its way and stops polling. */
  const stop = () => {
    generation.current++
    clearTimer()
  }

  const start = useCallback(async () => {
    const gen = ++generation.current
    clearTimer()
    current.current = null
    setState({ phase: 'loading' })
    try {
      const { ticket, expiresAt } = await createQrTicket()
      if (gen !== generation.current) return
      current.current = { ticket }
      setState({ phase: 'pending', ticket, expiresAt, offline: false })
      schedule(gen, ticket)
    } catch (e) {
      if (gen !== generation.current) return
      setState({ phase: 'error', message: errorMessage(e) })
    }
    // schedule and expire are stable (they only touch refs and call start through a ref).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const startRef = useRef(start)
  startRef.current = start

  const expire = (gen: number) => {
    if (gen !== generation.current) return
    if (!autoRefreshed.current) {
      autoRefreshed.current = true
      void startRef.current()
      return
    }
    generation.current++
    clearTimer()
    current.current = null
    setState({ phase: 'expired' })
  }

  const poll = async (gen: number, ticket: string) => {
    if (gen !== generation.current || !visible.current) return
    try {
      const answer = await qrTicket(ticket)
      if (gen !== generation.current) return
      if (answer.token && answer.member) {
        generation.current++
        clearTimer()
        current.current = null
        useSession.getState().signIn({ token: answer.token, member: answer.member })
        setState({ phase: 'signed-in' })
        await Taro.switchTab({ url: HOME_PAGE }).catch(() => undefined)
        return
      }
      if (answer.status === 'expired' || answer.status === 'used') {
        expire(gen)
        return
      }
      setState((s) => (s.phase === 'pending' && s.offline ? { ...s, offline: false } : s))
      schedule(gen, ticket)
    } catch (e) {
      if (gen !== generation.current) return
      if (e instanceof ApiError && e.code !== 'NETWORK' && e.status >= 400 && e.status < 500) {
        // Not found, expired or refused: this ticket is over.
        if (e.status !== 429) {
          expire(gen)
          return
        }
      }
      // No answer (or slowed down): keep the QR and try again.
      setState((s) =>
        s.phase === 'pending'
          ? { ...s, offline: e instanceof ApiError && e.code === 'NETWORK' }
          : s,
      )
      schedule(gen, ticket)
    }
  }

  function schedule(gen: number, ticket: string) {
    clearTimer()
    timer.current = setTimeout(() => void poll(gen, ticket), QR_POLL_MS)
  }

  /** The person taps the expired QR: a new ticket, and one more automatic renewal. */
  const refresh = useCallback(() => {
    autoRefreshed.current = false
    void start()
  }, [start])

  const pause = () => {
    visible.current = false
    clearTimer()
  }

  const resume = () => {
    if (visible.current) return
    visible.current = true
    const live = current.current
    if (live) void poll(generation.current, live.ticket)
  }

  useEffect(() => {
    void start()
    const onVisibility = () => (document.visibilityState === 'hidden' ? pause() : resume())
    const watchTab = typeof document !== 'undefined' && process.env.TARO_ENV === 'h5'
    if (watchTab) document.addEventListener('visibilitychange', onVisibility)
    return () => {
      stop()
      if (watchTab) document.removeEventListener('visibilitychange', onVisibility)
    }
    // Once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useDidHide(pause)
  useDidShow(resume)

  return { state, refresh }
}
