ALTER TABLE "legal_service_points" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD COLUMN "location_address" text;--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD CONSTRAINT "legal_service_points_phone_dialable" CHECK ("legal_service_points"."phone" IS NULL OR "legal_service_points"."phone" ~ '^\+?[0-9][0-9 -]{3,18}[0-9]$');--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD CONSTRAINT "legal_service_points_location" CHECK (("legal_service_points"."latitude" IS NULL) = ("legal_service_points"."longitude" IS NULL) AND ("legal_service_points"."latitude" IS NULL OR ("legal_service_points"."kind" = 'workstation' AND "legal_service_points"."latitude" BETWEEN -90 AND 90 AND "legal_service_points"."longitude" BETWEEN -180 AND 180)) AND ("legal_service_points"."location_address" IS NULL OR "legal_service_points"."latitude" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "venue_latitude" double precision;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "venue_longitude" double precision;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "venue_address" text;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_venue_location" CHECK (("events"."venue_latitude" IS NULL) = ("events"."venue_longitude" IS NULL) AND ("events"."venue_latitude" IS NULL OR ("events"."venue_latitude" BETWEEN -90 AND 90 AND "events"."venue_longitude" BETWEEN -180 AND 180)) AND ("events"."venue_address" IS NULL OR "events"."venue_latitude" IS NOT NULL));--> statement-breakpoint
CREATE INDEX "outbox_settled_idx" ON "outbox" USING btree ("due_at") WHERE "outbox"."status" IN ('sent', 'skipped', 'failed');--> statement-breakpoint
DROP INDEX "jobs_periodic_once";--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_periodic_once" ON "jobs" USING btree ("name") WHERE "jobs"."status" = 'running' AND "jobs"."name" IN ('expiry', 'close-due-campaigns', 'prune-outbox');
