CREATE TABLE "cooling_campaigns" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cooling_campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"union_id" integer NOT NULL,
	"title" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"quota" integer NOT NULL,
	"max_items" integer,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cooling_campaigns_title_not_blank" CHECK (length(trim("cooling_campaigns"."title")) > 0),
	CONSTRAINT "cooling_campaigns_window" CHECK ("cooling_campaigns"."closes_at" > "cooling_campaigns"."opens_at"),
	CONSTRAINT "cooling_campaigns_quota_positive" CHECK ("cooling_campaigns"."quota" > 0),
	CONSTRAINT "cooling_campaigns_max_items_positive" CHECK ("cooling_campaigns"."max_items" IS NULL OR "cooling_campaigns"."max_items" > 0),
	CONSTRAINT "cooling_campaigns_closed_by_when_closed" CHECK ("cooling_campaigns"."closed_by" IS NULL OR "cooling_campaigns"."closed_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "cooling_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cooling_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"image_url" text,
	"quota_cost" integer NOT NULL,
	"max_per_pack" integer NOT NULL,
	"stock" integer NOT NULL,
	"stock_left" integer NOT NULL,
	"default_quantity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "cooling_items_position_unique" UNIQUE("campaign_id","position"),
	CONSTRAINT "cooling_items_name_not_blank" CHECK (length(trim("cooling_items"."name")) > 0),
	CONSTRAINT "cooling_items_quota_cost_nonnegative" CHECK ("cooling_items"."quota_cost" >= 0),
	CONSTRAINT "cooling_items_max_per_pack_positive" CHECK ("cooling_items"."max_per_pack" > 0),
	CONSTRAINT "cooling_items_stock_left_range" CHECK ("cooling_items"."stock_left" >= 0 AND "cooling_items"."stock_left" <= "cooling_items"."stock"),
	CONSTRAINT "cooling_items_default_quantity_range" CHECK ("cooling_items"."default_quantity" >= 0 AND "cooling_items"."default_quantity" <= "cooling_items"."max_per_pack")
);
--> statement-breakpoint
CREATE TABLE "cooling_pack_items" (
	"pack_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "cooling_pack_items_pack_id_item_id_pk" PRIMARY KEY("pack_id","item_id"),
	CONSTRAINT "cooling_pack_items_quantity_positive" CHECK ("cooling_pack_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "cooling_packs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cooling_packs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"quota_used" integer NOT NULL,
	"delivery_kind" text NOT NULL,
	"site_id" integer,
	"recipient" text,
	"phone" text,
	"status" text DEFAULT 'submitted' NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"shipped_at" timestamp with time zone,
	"shipped_by" integer,
	"received_at" timestamp with time zone,
	CONSTRAINT "cooling_packs_one_per_member" UNIQUE("campaign_id","member_id"),
	CONSTRAINT "cooling_packs_quota_used_nonnegative" CHECK ("cooling_packs"."quota_used" >= 0),
	CONSTRAINT "cooling_packs_delivery" CHECK (("cooling_packs"."delivery_kind" = 'pickup' AND "cooling_packs"."site_id" IS NULL AND "cooling_packs"."recipient" IS NULL AND "cooling_packs"."phone" IS NULL)
       OR ("cooling_packs"."delivery_kind" = 'site' AND "cooling_packs"."site_id" IS NOT NULL AND "cooling_packs"."recipient" IS NOT NULL AND "cooling_packs"."phone" IS NOT NULL)),
	CONSTRAINT "cooling_packs_recipient_length" CHECK ("cooling_packs"."recipient" IS NULL OR char_length(trim("cooling_packs"."recipient")) BETWEEN 1 AND 20),
	CONSTRAINT "cooling_packs_phone_format" CHECK ("cooling_packs"."phone" IS NULL OR "cooling_packs"."phone" ~ '^1[3-9][0-9]{9}$'),
	CONSTRAINT "cooling_packs_status_known" CHECK ("cooling_packs"."status" IN ('submitted','shipped','received')),
	CONSTRAINT "cooling_packs_shipped_when" CHECK (("cooling_packs"."status" = 'submitted') = ("cooling_packs"."shipped_at" IS NULL)),
	CONSTRAINT "cooling_packs_received_when" CHECK (("cooling_packs"."status" = 'received') = ("cooling_packs"."received_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "cooling_sites" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cooling_sites_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"union_id" integer NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cooling_sites_union_name_unique" UNIQUE("union_id","name"),
	CONSTRAINT "cooling_sites_name_not_blank" CHECK (length(trim("cooling_sites"."name")) > 0),
	CONSTRAINT "cooling_sites_address_not_blank" CHECK (length(trim("cooling_sites"."address")) > 0)
);
--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_union_id_unions_id_fk" FOREIGN KEY ("union_id") REFERENCES "public"."unions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_closed_by_members_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_campaigns" ADD CONSTRAINT "cooling_campaigns_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_items" ADD CONSTRAINT "cooling_items_campaign_id_cooling_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."cooling_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_pack_items" ADD CONSTRAINT "cooling_pack_items_pack_id_cooling_packs_id_fk" FOREIGN KEY ("pack_id") REFERENCES "public"."cooling_packs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_pack_items" ADD CONSTRAINT "cooling_pack_items_item_id_cooling_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."cooling_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_campaign_id_cooling_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."cooling_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_site_id_cooling_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."cooling_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_shipped_by_members_id_fk" FOREIGN KEY ("shipped_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooling_sites" ADD CONSTRAINT "cooling_sites_union_id_unions_id_fk" FOREIGN KEY ("union_id") REFERENCES "public"."unions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cooling_campaigns_union_idx" ON "cooling_campaigns" USING btree ("union_id");--> statement-breakpoint
CREATE INDEX "cooling_campaigns_due_idx" ON "cooling_campaigns" USING btree ("closes_at") WHERE "cooling_campaigns"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "cooling_pack_items_item_idx" ON "cooling_pack_items" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "cooling_packs_member_idx" ON "cooling_packs" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "cooling_packs_site_idx" ON "cooling_packs" USING btree ("campaign_id","site_id");