import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PGlite } from '@electric-sql/pglite'
import { pglitePrepared } from '../../server/db/pglite-prepared'

test('values are bound, not spliced: nulls, negatives, JSON, arrays, NUL refused', async () => {
  const db = await PGlite.create()
  try {
    const { run } = pglitePrepared(db)
    const text = 'SELECT $1::int AS n, $2::text AS t, $3::jsonb AS j, $4::int[] AS a, $5::bool AS b'
    const params = [-5, "老北京's \\ $1 '); --", { a: "it's" }, [1, 2, 3], null]
    const direct = (await db.query(text, params)).rows
    assert.deepEqual(await run(db, text, params, 'values'), direct)
    assert.deepEqual(direct, [{ n: -5, t: params[1], j: { a: "it's" }, a: [1, 2, 3], b: null }])
    await assert.rejects(run(db, 'SELECT $1::text AS t', ['a\0b'], 'nul'))
    await assert.rejects(run(db, 'SELECT $1::int AS n', [1, 2], 'values_arity'))
    await assert.rejects(run(db, 'SELECT 1 AS n', [], 'values'), /another text/)
  } finally {
    await db.close()
  }
})

test('a prepared statement returns what query() returns, hostile text included', async () => {
  const db = await PGlite.create()
  try {
    const { run, batch } = pglitePrepared(db)
    const text = 'SELECT $1::text AS t, $2::int AS n, $3::int[] AS a, $4::timestamptz AS at'
    const hostile = "x'); DROP TABLE pg_class; --\\'"
    const at = new Date('2026-07-01T08:00:00.123Z')
    const params = [hostile, -7, [3, 1], at]
    const direct = (await db.query(text, params)).rows
    assert.deepEqual(await run(db, text, params, 'probe'), direct)
    assert.deepEqual(await run(db, text, params, 'probe'), direct)
    const [first, second] = await batch(db, [
      { text, params, name: 'probe' },
      { text: 'SELECT $1::int + 1 AS next', params: [41], name: 'probe_next' },
    ])
    assert.deepEqual(first, direct)
    assert.deepEqual(second, [{ next: 42 }])
    assert.equal((first[0] as { t: string }).t, hostile)
    // Prepared statements outlive a rolled-back transaction.
    await db
      .transaction(async (tx) => {
        await run(tx, 'SELECT $1::int AS n', [1], 'in_tx')
        throw new Error('roll back')
      })
      .catch(() => undefined)
    assert.deepEqual(await run(db, 'SELECT $1::int AS n', [2], 'in_tx'), [{ n: 2 }])
  } finally {
    await db.close()
  }
})
