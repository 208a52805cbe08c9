import { useState } from 'react'
import Taro from '@tarojs/taro'

/** `AB3DK7MN` → `AB3D K7MN`: groups of four, easy to read aloud at a desk. */
export function groupCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ')
}

/** Scans a QR code with the camera (weapp); null when the person cancels. */
export async function scanQrCode(onlyFromCamera = true): Promise<string | null> {
  try {
    const { result } = await Taro.scanCode({ onlyFromCamera, scanType: ['qrCode'] })
    return result
  } catch {
    return null
  }
}

/**
 * A code typed or scanned at a desk: `validate` answers the clean code or a Chinese message;
 * `submit` sends it and answers whether it was accepted (the field then clears).
 */
export function useCodeEntry(
  validate: (raw: string) => { code: string } | { error: string },
  submit: (code: string) => Promise<boolean>,
) {
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)

  const send = async (raw: string) => {
    const checked = validate(raw)
    if ('error' in checked) {
      setError(checked.error)
      return
    }
    setError(null)
    if (await submit(checked.code)) setCode('')
  }

  const scan = async () => {
    const result = await scanQrCode()
    if (result === null) return
    setCode(result)
    await send(result)
  }

  return { code, setCode, error, send, scan }
}
