-- The quota's backstop: a pack keeps its campaign's quota (the foreign key keeps it that quota) and
-- CHECK (quota_used <= quota_limit) refuses a pack over it, whatever the code computed.
-- Existing packs take the limit from their campaign and have quota_used recounted from their lines.
ALTER TABLE "cooling_packs" ADD COLUMN "quota_limit" integer;--> statement-breakpoint
UPDATE "cooling_packs" p SET "quota_limit" = c."quota" FROM "cooling_campaigns" c WHERE c."id" = p."campaign_id";--> statement-breakpoint
UPDATE "cooling_packs" p SET "quota_used" = coalesce((SELECT sum(l."quantity" * i."quota_cost") FROM "cooling_pack_items" l JOIN "cooling_items" i ON i."id" = l."item_id" WHERE l."pack_id" = p."id"), 0);--> statement-breakpoint
ALTER TABLE "cooling_packs" ALTER COLUMN "quota_limit" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_id_quota" UNIQUE("id","quota");--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_quota_limit_fk" FOREIGN KEY ("campaign_id","quota_limit") REFERENCES "public"."cooling_campaigns"("id","quota") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_quota_within_limit" CHECK ("cooling_packs"."quota_used" <= "cooling_packs"."quota_limit");
