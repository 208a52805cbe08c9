import { useEffect, type ReactNode } from 'react'
import { ErrorState, LoadingState } from '@/components/page-state'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'

/** Loads the legal admin data; renders the loading or error state until it is there. */
export function useLegalAdmin(): ReactNode | null {
  const { status, error, load } = useStaffLegalStore()
  useEffect(() => {
    void load()
  }, [load])
  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />
  return null
}
