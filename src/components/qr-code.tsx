import { useMemo } from 'react'
import { View } from '@tarojs/components'
import { qrRows } from '@/components/qr'
import './qr-code.scss'

/** Props of a QR code. */
export interface QrCodeProps {
  /** The text to encode (a pickup code, a check-in code). */
  value: string
  /** Extra class, e.g. a smaller size in a list. */
  className?: string
}

/**
 * A QR code drawn with Views (rows of dark and light runs, sized by flex), so it works the same on
 * weapp and H5 without a canvas. The white frame is the quiet zone scanners need.
 */
export function QrCode({ value, className }: QrCodeProps) {
  const rows = useMemo(() => qrRows(value), [value])
  return (
    <View className={className ? `qr-code ${className}` : 'qr-code'} aria-label={`二维码 ${value}`}>
      <View className="qr-code-matrix">
        {rows.map((runs, r) => (
          <View key={r} className="qr-code-row">
            {runs.map((run, i) => (
              <View
                key={i}
                className={run.dark ? 'qr-code-run is-dark' : 'qr-code-run'}
                style={{ flex: `${run.length} ${run.length} 0` }}
              />
            ))}
          </View>
        ))}
      </View>
    </View>
  )
}
