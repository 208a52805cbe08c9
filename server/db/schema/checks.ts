import { sql, type SQL } from 'drizzle-orm'

/**
 * `('a','b')` for a CHECK's `IN` list, from a contract enum: the database accepts exactly the
 * values the contract names. Only for the contract's own constants (never request data).
 */
export function inList(values: readonly string[]): SQL {
  for (const v of values) {
    if (!/^[a-z_]+$/.test(v)) throw new Error(`not an enum value for a CHECK: ${v}`)
  }
  return sql.raw(`(${values.map((v) => `'${v}'`).join(',')})`)
}

/** A contract number inside a CHECK (a constant, never request data). */
export function num(n: number): SQL {
  if (!Number.isInteger(n)) throw new Error(`not an integer for a CHECK: ${n}`)
  return sql.raw(String(n))
}
