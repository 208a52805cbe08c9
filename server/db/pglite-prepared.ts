import type { PGlite, Transaction } from '@electric-sql/pglite'

/**
 * A value as an SQL literal for `EXECUTE name(…)`. Only what the hot paths pass: null, booleans,
 * finite numbers, strings, dates, integer arrays, JSON-able objects. With
 * `standard_conforming_strings` on (checked before use), doubling `'` is the whole escaping.
 */
export function sqlLiteral(value: unknown): string {
  const quote = (s: string) => {
    if (s.includes('\0')) throw new Error('a NUL character cannot be stored')
    return `'${s.replace(/'/g, "''")}'`
  }
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`)
    return value < 0 ? `(${value})` : String(value)
  }
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value)
  if (typeof value === 'string') return quote(value)
  if (value instanceof Date) return quote(value.toISOString())
  if (Array.isArray(value)) {
    if (!value.every((v) => Number.isInteger(v))) throw new Error('only integer arrays')
    return quote(`{${value.join(',')}}`)
  }
  return quote(JSON.stringify(value))
}

type Executor = Pick<PGlite | Transaction, 'exec' | 'query'>

/**
 * Runs statements on PGlite, named ones through PREPARE/EXECUTE. PGlite's `query()` sends six
 * protocol messages into the WebAssembly module and plans the statement anew on every call; a
 * statement prepared once (PGlite is a single session) and run by `EXECUTE` through the simple
 * protocol is one call and no planning — about 4× faster for the redemption's statements.
 * Prepared statements outlive transactions (a ROLLBACK does not drop them).
 */
/** A named statement with its parameters. */
export interface Statement {
  text: string
  params: unknown[]
  name: string
}

export function pglitePrepared() {
  const prepared = new Set<string>()
  let conforming: Promise<boolean> | undefined
  // Asked on the executor at hand: inside a transaction, `client` itself would wait for it.
  const standardStrings = (on: Executor) =>
    (conforming ??= on
      .query<{ standard_conforming_strings: string }>('SHOW standard_conforming_strings')
      .then((r) => r.rows[0]?.standard_conforming_strings === 'on'))

  async function prepare(on: Executor, statements: Statement[]) {
    for (const { name, text } of statements) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad statement name ${name}`)
      if (prepared.has(name)) continue
      await on.exec(`PREPARE ${name} AS ${text}`)
      prepared.add(name)
    }
  }
  const execute = (s: Statement) =>
    `EXECUTE ${s.name}${s.params.length ? `(${s.params.map(sqlLiteral).join(', ')})` : ''}`

  /**
   * Runs several named statements in one call, one after the other (each with its own snapshot,
   * as separate statements would); the rows of each. Stops at the first error.
   */
  async function batch(on: Executor, statements: Statement[]): Promise<unknown[][]> {
    if (!(await standardStrings(on))) {
      const out: unknown[][] = []
      for (const s of statements) out.push((await on.query(s.text, s.params)).rows)
      return out
    }
    await prepare(on, statements)
    const results = await on.exec(statements.map(execute).join(';\n'))
    if (results.length !== statements.length) throw new Error('batch answered out of step')
    return results.map((r) => r.rows)
  }

  async function run<T>(
    on: Executor,
    text: string,
    params: unknown[],
    name?: string,
  ): Promise<T[]> {
    if (!name) return (await on.query<T>(text, params)).rows
    const [rows] = await batch(on, [{ text, params, name }])
    return rows as T[]
  }

  return { run, batch }
}
