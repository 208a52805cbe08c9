-- Issue #14: a cooling site names who receives the packs there (optional, the site contact), and a
-- shipped pack keeps that contact next to the site name and address it was shipped to.
ALTER TABLE "cooling_sites" ADD COLUMN "recipient" text;
--> statement-breakpoint
ALTER TABLE "cooling_sites" ADD CONSTRAINT "cooling_sites_recipient_length"
  CHECK ("recipient" IS NULL OR (length(trim("recipient")) > 0 AND length("recipient") <= 20));
--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD COLUMN "shipped_recipient" text;
