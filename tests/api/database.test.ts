import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { openDatabase, type Database } from '../../server/db/client'
import { DataDirLockedError } from '../../server/db/lock'
import { runMigrations } from '../../server/db/migrate'
import { seedDemoData } from '../../server/db/seed'
import { rows } from '../../server/db/sql'
import { freshPostgresDatabase } from '../support/server'

const root = path.resolve(__dirname, '../..')

/** A fingerprint of the schema: every column, constraint and index, and the migration count. */
async function schemaFingerprint(db: Database['db']): Promise<string> {
  const cols = await rows<{ t: string }>(
    db,
    sql`SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS t
        FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
  )
  const cons = await rows<{ t: string }>(
    db,
    sql`SELECT conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid) AS t
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
  )
  const idx = await rows<{ t: string }>(
    db,
    sql`SELECT indexdef AS t FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
  )
  const migrations = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
  )
  return JSON.stringify({ cols, cons, idx, migrations: migrations[0].n })
}

async function counts(db: Database['db']) {
  const [r] = await rows<{ unions: number; members: number; ledger: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM unions) AS unions, (SELECT count(*)::int FROM members) AS members,
               (SELECT count(*)::int FROM point_ledger) AS ledger`,
  )
  return r
}

async function migrateTwice(database: Database) {
  await runMigrations(database)
  const once = await schemaFingerprint(database.db)
  await runMigrations(database)
  const twice = await schemaFingerprint(database.db)
  assert.equal(twice, once)
  assert.ok(once.includes('point_accounts_balance_nonnegative'), 'CHECK constraints were created')
  const seeded = await seedDemoData(database.db)
  const before = await counts(database.db)
  const again = await seedDemoData(database.db)
  assert.equal(seeded.applied, true)
  assert.equal(again.applied, false)
  assert.deepEqual(await counts(database.db), before)
  assert.ok(before.members >= 305)
}

describe('database', () => {
  test('PGlite: migrations and seed run twice without change; data survives a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-db-'))
    try {
      const database = await openDatabase({ dataDir: dir })
      await migrateTwice(database)
      const before = await counts(database.db)
      await database.close()
      const reopened = await openDatabase({ dataDir: dir })
      await runMigrations(reopened)
      assert.deepEqual(await counts(reopened.db), before)
      await reopened.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('PostgreSQL: migrations run twice without change, also from two processes at once', async (t) => {
    if (!process.env.DATABASE_URL) return t.skip('DATABASE_URL is not set')
    const fresh = await freshPostgresDatabase()
    try {
      const a = await openDatabase({ dataDir: 'unused', databaseUrl: fresh.url })
      const b = await openDatabase({ dataDir: 'unused', databaseUrl: fresh.url })
      await Promise.all([runMigrations(a), runMigrations(b)])
      const results = await Promise.all([seedDemoData(a.db), seedDemoData(b.db)])
      assert.equal(results.filter((r) => r.applied).length, 1)
      await b.close()
      await migrateTwiceAfterSeed(a)
      await a.close()
    } finally {
      await fresh.drop()
    }
  })

  test('the lock file refuses a second opener of one data directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-lock-'))
    try {
      const first = await openDatabase({ dataDir: dir })
      await assert.rejects(openDatabase({ dataDir: dir }), (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError)
        assert.match(err.message, /正被另一个服务器进程/)
        return true
      })
      // A second server process on the same directory exits with a clear message.
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...process.env, DATA_DIR: dir, PORT: '0', DATABASE_URL: '', LOG: '0' },
      })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      assert.equal(code, 1)
      assert.match(stderr, /无法启动：数据目录 .* 正被另一个服务器进程（pid \d+）使用/)
      await first.close()
      // Released on close: the directory opens again.
      const again = await openDatabase({ dataDir: dir })
      await again.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a lock left by a dead process is taken over', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-stale-'))
    try {
      fs.writeFileSync(path.join(dir, 'server.lock'), '999999')
      const database = await openDatabase({ dataDir: dir })
      assert.equal(fs.readFileSync(path.join(dir, 'server.lock'), 'utf8'), String(process.pid))
      await database.close()
      assert.equal(fs.existsSync(path.join(dir, 'server.lock')), false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

async function migrateTwiceAfterSeed(database: Database) {
  const once = await schemaFingerprint(database.db)
  const before = await counts(database.db)
  await runMigrations(database)
  assert.equal(await schemaFingerprint(database.db), once)
  assert.equal((await seedDemoData(database.db)).applied, false)
  assert.deepEqual(await counts(database.db), before)
}
