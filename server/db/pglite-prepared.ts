import { parse, protocol, type PGlite, type Transaction } from '@electric-sql/pglite'

/** A named statement with its parameters. */
export interface Statement {
  text: string
  params: unknown[]
  name: string
}

type Executor = PGlite | Transaction
type BackendMessage = Parameters<typeof parse.parseResults>[0][number]

interface Described {
  text: string
  /** The parameters' type OIDs, as PostgreSQL inferred them: how each value is serialised. */
  paramTypes: number[]
  /** The statement's RowDescription (null for a statement without rows). */
  fields: BackendMessage | null
}

const { serialize } = protocol

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/**
 * Runs statements on PGlite, named ones as protocol-level prepared statements with bound
 * parameters. PGlite's `query()` makes five calls into the WebAssembly module and plans the
 * statement anew every time; here a statement is parsed and described once (PGlite is a single
 * session) and each run is one call of Bind/Execute pairs and a Sync — values travel as bound
 * parameters, serialised by PGlite's own serialisers for the types PostgreSQL inferred, never
 * spliced into SQL text. Prepared statements outlive transactions (a ROLLBACK does not drop them).
 */
export function pglitePrepared(client: PGlite) {
  const described = new Map<string, Described>()

  // The locks `query()` takes: outside a transaction, the transaction mutex too (so that the
  // statement never lands inside another caller's transaction); inside one, it is ours already.
  const exclusive = <T>(inTransaction: boolean, fn: () => Promise<T>): Promise<T> =>
    inTransaction
      ? client.runExclusive(fn)
      : client._runExclusiveTransaction(() => client.runExclusive(fn))

  const exchange = async (inTransaction: boolean, parts: Uint8Array[]) =>
    (await client.execProtocol(concat(parts), { syncToFs: !inTransaction })).messages

  /** Parses and describes each statement not seen yet, one at a time (a failed one leaves none). */
  async function describe(inTransaction: boolean, statements: Statement[]) {
    for (const { name, text } of statements) {
      const known = described.get(name)
      if (known) {
        if (known.text !== text) throw new Error(`statement ${name} has another text`)
        continue
      }
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad statement name ${name}`)
      const messages = await exchange(inTransaction, [
        serialize.parse({ name, text }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ])
      const params = messages.find((m) => m.name === 'parameterDescription') as
        { dataTypeIDs: number[] } | undefined
      described.set(name, {
        text,
        paramTypes: params?.dataTypeIDs ?? [],
        fields: messages.find((m) => m.name === 'rowDescription') ?? null,
      })
    }
  }

  const bindValues = (s: Statement, d: Described) => {
    if (s.params.length !== d.paramTypes.length) {
      throw new Error(`statement ${s.name} takes ${d.paramTypes.length} parameters`)
    }
    return s.params.map((value, i) => {
      if (value === null || value === undefined) return null
      const serializer = client.serializers[d.paramTypes[i]!]
      return serializer ? serializer(value) : String(value)
    })
  }

  /**
   * Runs several named statements in one call, one after the other (each with its own snapshot,
   * as separate statements would); the rows of each. Stops at the first error.
   */
  function batch(on: Executor, statements: Statement[]): Promise<unknown[][]> {
    const inTransaction = on !== client
    return exclusive(inTransaction, async () => {
      await describe(inTransaction, statements)
      const parts: Uint8Array[] = []
      for (const s of statements) {
        const values = bindValues(s, described.get(s.name)!)
        parts.push(serialize.bind({ statement: s.name, values }), serialize.execute())
      }
      parts.push(serialize.sync())
      const messages = await exchange(inTransaction, parts)
      // Each Bind answers BindComplete: the statement's described row shape comes next.
      const withFields: BackendMessage[] = []
      let next = 0
      for (const m of messages) {
        withFields.push(m)
        if (m.name !== 'bindComplete') continue
        const fields = described.get(statements[next++]!.name)!.fields
        if (fields) withFields.push(fields)
      }
      const results = parse.parseResults(withFields, client.parsers)
      if (results.length !== statements.length) throw new Error('batch answered out of step')
      return results.map((r) => r.rows)
    })
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
