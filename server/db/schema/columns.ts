import { timestamp } from 'drizzle-orm/pg-core'

/** `created_at timestamptz NOT NULL DEFAULT now()`, on most tables. */
export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
