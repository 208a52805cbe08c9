// Durable jobs (long work in batches that survives a restart) and the roster imports they run.
import { sql } from 'drizzle-orm'
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { createdAt } from './columns'
import { members, unions } from './org'

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
})

/**
 * One durable job: a worker claims a due job with `FOR UPDATE SKIP LOCKED` and holds it by a
 * lease (`locked_by`, `locked_until`) that it renews with every batch; a job whose lease ran out
 * (its process died) is claimed again and resumes where its last batch committed.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    status: text('status').notNull().default('running'),
    payload: jsonb('payload')
      .notNull()
      .default(sql`'{}'::jsonb`),
    total: integer('total'),
    done: integer('done').notNull().default(0),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    createdBy: integer('created_by').references(() => members.id),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    error: text('error'),
    /** What the job did so far, by its own names (`ordersExpired`…), committed with each batch. */
    counts: jsonb('counts')
      .$type<Record<string, number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [
    check('jobs_status_known', sql`${t.status} IN ('running','done','failed')`),
    check('jobs_done_nonnegative', sql`${t.done} >= 0`),
    check('jobs_finished_when_over', sql`(${t.status} = 'running') = (${t.finishedAt} IS NULL)`),
    index('jobs_due_idx')
      .on(t.lockedUntil)
      .where(sql`${t.status} = 'running'`),
    // The periodic jobs run one at a time: a second start finds the running one.
    uniqueIndex('jobs_periodic_once')
      .on(t.name)
      .where(
        sql`${t.status} = 'running' AND ${t.name} IN ('expiry', 'close-due-campaigns', 'prune-outbox')`,
      ),
  ],
)

/** A roster import: the file, whose union scope it may write, and its counts so far. */
export const memberImports = pgTable(
  'member_imports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .unique()
      .references(() => jobs.id),
    /** The importer's staff union (its subtree is the scope); null for an admin (everything). */
    unionId: integer('union_id').references(() => unions.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => members.id),
    /** `csv` or `xlsx`. */
    format: text('format').notNull(),
    /** The uploaded file; emptied once the import is over. */
    file: bytea('file'),
    /** The file's header row as it was written (for the rejected rows' CSV). */
    header: jsonb('header').$type<string[]>(),
    status: text('status').notNull().default('running'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    check('member_imports_status_known', sql`${t.status} IN ('running','done','failed')`),
    check('member_imports_format_known', sql`${t.format} IN ('csv','xlsx')`),
    check(
      'member_imports_counts',
      sql`${t.done} >= 0 AND ${t.created} >= 0 AND ${t.updated} >= 0 AND ${t.rejected} >= 0
          AND ${t.created} + ${t.updated} + ${t.rejected} <= ${t.done}`,
    ),
  ],
)

/** A row an import refused, with its line number, the reason and the row's fields as written. */
export const memberImportRejects = pgTable(
  'member_import_rejects',
  {
    importId: integer('import_id')
      .notNull()
      .references(() => memberImports.id),
    line: integer('line').notNull(),
    reason: text('reason').notNull(),
    fields: jsonb('fields').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
)
