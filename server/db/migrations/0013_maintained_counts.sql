-- Maintained counts (issue #11): staff overviews read what they show, not the whole database.
-- Statement-level triggers with transition tables keep them in the same transaction as the change,
-- one aggregated write per statement (an import batch of 2,000 members or a close batch of 2,000
-- default packs costs one write per union or shard, not 2,000). A statement that changes no
-- counted column (a renamed member, an edited pack) writes nothing, so it takes no counter lock.
-- Count rows are locked in key order, so two statements never wait on each other in a cycle.

-- Members per union: all of them (grant targets), those holding the `member` role (cooling
-- coverage) and those bound to WeChat (the numbers staff report).
CREATE TABLE "union_member_counts" (
	"union_id" integer PRIMARY KEY,
	"members" integer DEFAULT 0 NOT NULL,
	"role_members" integer DEFAULT 0 NOT NULL,
	"bound" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "union_member_counts_not_negative" CHECK ("members" >= 0 AND "role_members" >= 0 AND "bound" >= 0),
	CONSTRAINT "union_member_counts_consistent" CHECK ("role_members" <= "members" AND "bound" <= "members")
);
--> statement-breakpoint
CREATE FUNCTION "union_member_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- A transition table exists only for the events that have it: the rows counted, +1 or -1.
  v_rows text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT union_id, roles, wechat_openid, 1 AS s FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT union_id, roles, wechat_openid, -1 AS s FROM old_rows'
    ELSE 'SELECT union_id, roles, wechat_openid, 1 AS s FROM new_rows
          UNION ALL SELECT union_id, roles, wechat_openid, -1 FROM old_rows' END;
  v_ids integer[];
  v_members integer[];
  v_roles integer[];
  v_bound integer[];
BEGIN
  EXECUTE format($q$
    SELECT array_agg(union_id ORDER BY union_id), array_agg(m ORDER BY union_id),
           array_agg(r ORDER BY union_id), array_agg(b ORDER BY union_id)
    FROM (SELECT union_id, sum(s)::int AS m,
                 coalesce(sum(s) FILTER (WHERE 'member' = ANY(roles)), 0)::int AS r,
                 coalesce(sum(s) FILTER (WHERE wechat_openid IS NOT NULL), 0)::int AS b
          FROM (%s) d GROUP BY union_id) g
    WHERE m <> 0 OR r <> 0 OR b <> 0
  $q$, v_rows) INTO v_ids, v_members, v_roles, v_bound;
  IF v_ids IS NULL THEN
    RETURN NULL; -- nothing counted changed: no count is written, none locked
  END IF;
  -- Existing rows first, locked in key order, then changed as a whole (a CHECK on the sum, never
  -- on a delta); a union counted for the first time gets its row, racing inserts adding up.
  PERFORM 1 FROM union_member_counts WHERE union_id = ANY(v_ids) ORDER BY union_id FOR UPDATE;
  UPDATE union_member_counts c
  SET members = c.members + d.m, role_members = c.role_members + d.r, bound = c.bound + d.b
  FROM unnest(v_ids, v_members, v_roles, v_bound) AS d(id, m, r, b) WHERE c.union_id = d.id;
  INSERT INTO union_member_counts AS c (union_id, members, role_members, bound)
  SELECT d.id, d.m, d.r, d.b FROM unnest(v_ids, v_members, v_roles, v_bound) AS d(id, m, r, b)
  WHERE NOT EXISTS (SELECT 1 FROM union_member_counts x WHERE x.union_id = d.id)
  ORDER BY d.id
  ON CONFLICT (union_id) DO UPDATE SET members = c.members + excluded.members,
    role_members = c.role_members + excluded.role_members, bound = c.bound + excluded.bound;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "members_counts_insert" AFTER INSERT ON "members" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION union_member_counts_apply();
--> statement-breakpoint
CREATE TRIGGER "members_counts_update" AFTER UPDATE ON "members"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION union_member_counts_apply();
--> statement-breakpoint
CREATE TRIGGER "members_counts_delete" AFTER DELETE ON "members" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION union_member_counts_apply();
--> statement-breakpoint
INSERT INTO "union_member_counts" (union_id, members, role_members, bound)
SELECT union_id, count(*), count(*) FILTER (WHERE 'member' = ANY(roles)),
       count(*) FILTER (WHERE wechat_openid IS NOT NULL)
FROM members GROUP BY union_id;
--> statement-breakpoint

-- Packs per campaign, in 16 shards by member so that members submitting packs at the same time
-- do not queue on one row; a campaign's figures are the sum of its shards.
CREATE TABLE "cooling_pack_counts" (
	"campaign_id" integer NOT NULL,
	"shard" smallint NOT NULL,
	"chosen" integer DEFAULT 0 NOT NULL,
	"defaulted" integer DEFAULT 0 NOT NULL,
	"shipped" integer DEFAULT 0 NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "cooling_pack_counts_pk" PRIMARY KEY ("campaign_id", "shard"),
	CONSTRAINT "cooling_pack_counts_not_negative" CHECK ("chosen" >= 0 AND "defaulted" >= 0 AND "shipped" >= 0 AND "received" >= 0)
);
--> statement-breakpoint
CREATE FUNCTION "cooling_pack_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_rows text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT campaign_id, member_id, is_default, status, 1 AS s FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT campaign_id, member_id, is_default, status, -1 AS s FROM old_rows'
    ELSE 'SELECT campaign_id, member_id, is_default, status, 1 AS s FROM new_rows
          UNION ALL SELECT campaign_id, member_id, is_default, status, -1 FROM old_rows' END;
  v_campaigns integer[];
  v_shards smallint[];
  v_chosen integer[];
  v_defaulted integer[];
  v_shipped integer[];
  v_received integer[];
BEGIN
  EXECUTE format($q$
    SELECT array_agg(campaign_id ORDER BY campaign_id, shard), array_agg(shard ORDER BY campaign_id, shard),
           array_agg(chosen ORDER BY campaign_id, shard), array_agg(defaulted ORDER BY campaign_id, shard),
           array_agg(shipped ORDER BY campaign_id, shard), array_agg(received ORDER BY campaign_id, shard)
    FROM (SELECT campaign_id, (member_id %% 16)::smallint AS shard,
                 coalesce(sum(s) FILTER (WHERE NOT is_default), 0)::int AS chosen,
                 coalesce(sum(s) FILTER (WHERE is_default), 0)::int AS defaulted,
                 coalesce(sum(s) FILTER (WHERE status IN ('shipped', 'received')), 0)::int AS shipped,
                 coalesce(sum(s) FILTER (WHERE status = 'received'), 0)::int AS received
          FROM (%s) d GROUP BY campaign_id, member_id %% 16) g
    WHERE chosen <> 0 OR defaulted <> 0 OR shipped <> 0 OR received <> 0
  $q$, v_rows) INTO v_campaigns, v_shards, v_chosen, v_defaulted, v_shipped, v_received;
  IF v_campaigns IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM cooling_pack_counts c
  JOIN unnest(v_campaigns, v_shards) AS d(campaign_id, shard) USING (campaign_id, shard)
  ORDER BY c.campaign_id, c.shard FOR UPDATE OF c;
  UPDATE cooling_pack_counts c
  SET chosen = c.chosen + d.chosen, defaulted = c.defaulted + d.defaulted,
      shipped = c.shipped + d.shipped, received = c.received + d.received
  FROM unnest(v_campaigns, v_shards, v_chosen, v_defaulted, v_shipped, v_received)
       AS d(campaign_id, shard, chosen, defaulted, shipped, received)
  WHERE c.campaign_id = d.campaign_id AND c.shard = d.shard;
  INSERT INTO cooling_pack_counts AS c (campaign_id, shard, chosen, defaulted, shipped, received)
  SELECT d.* FROM unnest(v_campaigns, v_shards, v_chosen, v_defaulted, v_shipped, v_received)
       AS d(campaign_id, shard, chosen, defaulted, shipped, received)
  WHERE NOT EXISTS (SELECT 1 FROM cooling_pack_counts x
                    WHERE x.campaign_id = d.campaign_id AND x.shard = d.shard)
  ORDER BY d.campaign_id, d.shard
  ON CONFLICT (campaign_id, shard) DO UPDATE SET chosen = c.chosen + excluded.chosen,
    defaulted = c.defaulted + excluded.defaulted, shipped = c.shipped + excluded.shipped,
    received = c.received + excluded.received;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "cooling_packs_counts_insert" AFTER INSERT ON "cooling_packs"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cooling_pack_counts_apply();
--> statement-breakpoint
CREATE TRIGGER "cooling_packs_counts_update" AFTER UPDATE ON "cooling_packs"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cooling_pack_counts_apply();
--> statement-breakpoint
CREATE TRIGGER "cooling_packs_counts_delete" AFTER DELETE ON "cooling_packs"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cooling_pack_counts_apply();
--> statement-breakpoint
INSERT INTO "cooling_pack_counts" (campaign_id, shard, chosen, defaulted, shipped, received)
SELECT campaign_id, member_id % 16, count(*) FILTER (WHERE NOT is_default),
       count(*) FILTER (WHERE is_default), count(*) FILTER (WHERE status IN ('shipped', 'received')),
       count(*) FILTER (WHERE status = 'received')
FROM cooling_packs GROUP BY campaign_id, member_id % 16;
