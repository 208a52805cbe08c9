import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PGlite } from '@electric-sql/pglite'
import { pglitePrepared, sqlLiteral } from '../../server/db/pglite-prepared'

test('literals: quotes doubled, negatives bracketed, dates as ISO, integer arrays only', () => {
  assert.equal(sqlLiteral(null), 'NULL')
  assert.equal(sqlLiteral(undefined), 'NULL')
  assert.equal(sqlLiteral(true), 'TRUE')
  assert.equal(sqlLiteral(42), '42')
  assert.equal(sqlLiteral(-5), '(-5)')
  assert.equal(sqlLiteral("老北京's \\ $1"), "'老北京''s \\ $1'")
  assert.equal(sqlLiteral(new Date('2026-07-01T00:00:00Z')), "'2026-07-01T00:00:00.000Z'")
  assert.equal(sqlLiteral([1, 2, 3]), "'{1,2,3}'")
  assert.equal(sqlLiteral({ a: "it's" }), `'{"a":"it''s"}'`)
  assert.throws(() => sqlLiteral(['a']))
  assert.throws(() => sqlLiteral(Number.NaN))
  assert.throws(() => sqlLiteral('a\0b'))
})

test('a prepared statement returns what query() returns, hostile text included', async () => {
  const db = await PGlite.create()
  try {
    const { run, batch } = pglitePrepared()
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
