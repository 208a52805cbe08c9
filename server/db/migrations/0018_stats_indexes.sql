-- 数据看板 (issue #14): the period's orders are summed by an index range scan read from the index
-- alone (a covering index, INCLUDE: PostgreSQL 11+; drizzle's index builder cannot express
-- INCLUDE, so it lives here only).
-- The period's points come from the day totals of migration 0020, not from the ledger, so the
-- ledger gets no index here (two covering indexes on it were tried: every ledger write paid for
-- them and a federation's year still read a million entries).
CREATE INDEX "mall_orders_created_idx" ON "mall_orders" ("created_at") INCLUDE ("member_id", "item_id", "quantity", "points_spent", "status");
--> statement-breakpoint
-- The events that start in a period.
CREATE INDEX "events_starts_idx" ON "events" ("starts_at");
