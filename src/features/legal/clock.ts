import { useEffect, useState } from 'react'

const MINUTE = 60_000

/** The current time, renewed at the start of every minute while the component is mounted. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>
    const tick = () => {
      setNow(Date.now())
      timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50)
    }
    timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50)
    return () => clearTimeout(timer)
  }, [])
  return now
}
