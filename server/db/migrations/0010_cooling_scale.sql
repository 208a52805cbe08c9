ALTER TABLE "cooling_campaigns" ADD COLUMN "close_cursor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD COLUMN "close_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD COLUMN "close_created" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD COLUMN "close_not_covered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD COLUMN "close_done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD COLUMN "close_job_id" integer;--> statement-breakpoint
UPDATE "cooling_campaigns" SET "close_done_at" = "closed_at" WHERE "closed_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_close_job_id_jobs_id_fk" FOREIGN KEY ("close_job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_close_counts_nonnegative" CHECK ("cooling_campaigns"."close_cursor" >= 0 AND "cooling_campaigns"."close_total" >= 0 AND "cooling_campaigns"."close_created" >= 0 AND "cooling_campaigns"."close_not_covered" >= 0);--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_close_done_when_closed" CHECK ("cooling_campaigns"."close_done_at" IS NULL OR "cooling_campaigns"."closed_at" IS NOT NULL);--> statement-breakpoint
CREATE INDEX "cooling_campaigns_closing_idx" ON "cooling_campaigns" USING btree ("id") WHERE "cooling_campaigns"."closed_at" IS NOT NULL AND "cooling_campaigns"."close_done_at" IS NULL;--> statement-breakpoint
CREATE INDEX "cooling_packs_counts_idx" ON "cooling_packs" USING btree ("campaign_id","is_default","status");--> statement-breakpoint
CREATE INDEX "members_role_member_union_idx" ON "members" USING btree ("union_id","id") WHERE 'member' = ANY("members"."roles");
