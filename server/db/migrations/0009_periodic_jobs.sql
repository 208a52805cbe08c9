ALTER TABLE "jobs" ADD COLUMN "counts" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_periodic_once" ON "jobs" USING btree ("name") WHERE "jobs"."status" = 'running' AND "jobs"."name" IN ('expiry', 'close-due-campaigns');--> statement-breakpoint
CREATE INDEX "point_lots_expiring_member_idx" ON "point_lots" USING btree ("member_id","expires_at") WHERE "point_lots"."expired_at" IS NULL AND "point_lots"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "members_union_member_no_idx" ON "members" USING btree ("union_id","member_no");
