import { Button } from '@tarojs/components'

/** Props of a form's submit button. */
export interface SaveButtonProps {
  busy: boolean
  onClick: () => void
  label: string
  /** The label while the request runs; 保存中… by default. */
  busyLabel?: string
  /** Class of the button (pages and tests find it by it). */
  className: string
  /** A full-width button (the default). */
  block?: boolean
}

/** The primary button of a form: ignores taps while its request runs and says so. */
export function SaveButton(props: SaveButtonProps) {
  const { busy, onClick, label, busyLabel = '保存中…', className, block = true } = props
  const classes = ['btn', 'btn-primary', block ? 'btn-block' : '', className, busy ? 'is-busy' : '']
  return (
    <Button
      className={classes.filter(Boolean).join(' ')}
      // `disabled={false}` would leave a disabled="false" attribute on H5 (see app.scss).
      disabled={busy || undefined}
      onClick={() => !busy && onClick()}
    >
      {busy ? busyLabel : label}
    </Button>
  )
}
