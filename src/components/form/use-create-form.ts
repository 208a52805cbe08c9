import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { errorMessage, newIdempotencyKey, type CallOptions } from '@/services/http'
import type { FieldErrors, validate } from '@/services/validation'

/** Props of one submission of a form. */
export interface SendOptions {
  /** The toast after success; 已添加 by default, null for none. */
  toast?: string | null
}

/**
 * Submits a create (or edit) form: checks it (usually with the contract's schema), sends it with
 * an idempotency key kept across a retry (renewed once the form changes), shows the server's
 * refusal in `errors.form` and toasts the success.
 */
export function useCreateForm<T>() {
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const key = useRef<string | null>(null)
  /**
   * Call on every edit: the next submission is a new request with a new key. With the field's
   * name, its error goes too (a fixed field no longer says it is wrong).
   */
  const changed = (field?: string) => {
    key.current = null
    if (field !== undefined) {
      setErrors((current) => {
        if (!(field in current)) return current
        const { [field]: _gone, ...rest } = current
        return rest
      })
    }
  }
  const send = async (
    check: () => ReturnType<typeof validate>,
    create: (options: CallOptions) => Promise<T>,
    done: (created: T) => void,
    { toast = '已添加' }: SendOptions = {},
  ) => {
    const checked = check()
    if (!checked.ok) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    try {
      key.current ??= newIdempotencyKey()
      const created = await create({ idempotencyKey: key.current })
      key.current = null
      done(created)
      if (toast) Taro.showToast({ title: toast, icon: 'success' }).catch(() => undefined)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }
  return { errors, setErrors, busy, changed, send }
}
