-- The points a union's members were granted, earned, spent, refunded and lost per Shanghai day
-- (issue #14's 数据看板 at a federation's scale): kept by the database in the transaction that
-- writes the ledger, so a year's figures for 300,000 members read a few thousand rows, not
-- millions of entries. A statement trigger over the inserted rows writes one row per union, day,
-- kind and shard (a grant batch of 2,000 entries: a handful of rows), in key order, so that two
-- statements never wait on each other in a cycle. Four shards by member, so that members of one
-- union redeeming at the same moment do not queue on one row. An entry counts for the union its
-- member belonged to when it was written.
CREATE TABLE "point_day_totals" (
	"union_id" integer NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"shard" smallint NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "point_day_totals_pk" PRIMARY KEY ("union_id", "day", "kind", "shard")
);
--> statement-breakpoint
CREATE FUNCTION "point_day_totals_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO point_day_totals AS t (union_id, day, kind, shard, amount, entries)
  SELECT m.union_id, (n.created_at AT TIME ZONE 'Asia/Shanghai')::date, n.kind,
         (n.member_id % 4)::smallint, sum(n.amount), count(*)
  FROM new_rows n JOIN members m ON m.id = n.member_id
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (union_id, day, kind, shard) DO UPDATE
    SET amount = t.amount + excluded.amount, entries = t.entries + excluded.entries;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "point_ledger_day_totals" AFTER INSERT ON "point_ledger"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION point_day_totals_apply();
--> statement-breakpoint
-- The ledger is append-only, now by the database too: the day totals follow its inserts.
CREATE FUNCTION "point_ledger_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'point_ledger is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER "point_ledger_append_only" BEFORE UPDATE OR DELETE ON "point_ledger"
  FOR EACH ROW EXECUTE FUNCTION point_ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "point_ledger_no_truncate" BEFORE TRUNCATE ON "point_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION point_ledger_refuse_change();
--> statement-breakpoint
INSERT INTO "point_day_totals" (union_id, day, kind, shard, amount, entries)
SELECT m.union_id, (l.created_at AT TIME ZONE 'Asia/Shanghai')::date, l.kind,
       (l.member_id % 4)::smallint, sum(l.amount), count(*)
FROM point_ledger l JOIN members m ON m.id = l.member_id
GROUP BY 1, 2, 3, 4;
