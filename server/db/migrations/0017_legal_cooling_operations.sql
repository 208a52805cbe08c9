-- Issue #14, the operations staff run through a season: lawyers, service points, weekly rules and
-- closures are retired (soft deleted, `retired_at`) instead of removed, so bookings, audit entries
-- and past slots keep what they point at; a shipped cooling pack keeps the site name and address it
-- was shipped to, whatever the site is renamed or moved to afterwards.
ALTER TABLE "legal_lawyers" ADD COLUMN "retired_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD COLUMN "retired_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "legal_availability_rules" ADD COLUMN "retired_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "legal_availability_rules" ADD COLUMN "updated_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "legal_closures" ADD COLUMN "retired_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD COLUMN "shipped_site_name" text;
--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD COLUMN "shipped_address" text;
--> statement-breakpoint
-- Packs shipped before this migration: the site's address of today is the best record there is.
UPDATE "cooling_packs" p SET "shipped_site_name" = s."name", "shipped_address" = s."address"
FROM "cooling_sites" s
WHERE s."id" = p."site_id" AND p."status" <> 'submitted';
--> statement-breakpoint
-- The audit viewer: newest first, per actor.
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id", "id");
