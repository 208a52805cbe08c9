import { z } from 'zod'

// Messages of checks the contract does not word itself come out in Chinese too.
z.config(z.locales.zhCN())

/** Field name → first Chinese message, from a failed `safeParse`. */
export type FieldErrors = Partial<Record<string, string>>

/** Validates `value` with `schema`: the parsed data, or the first message per top-level field. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : 'form'
    errors[key] ??= issue.message
  }
  return { ok: false, errors }
}
