CREATE TABLE "mall_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mall_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"union_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"image_url" text,
	"points_cost" integer NOT NULL,
	"stock" integer NOT NULL,
	"per_member_limit" integer NOT NULL,
	"sale_starts_at" timestamp with time zone,
	"sale_ends_at" timestamp with time zone,
	"pickup_days" integer DEFAULT 7 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mall_items_stock_nonnegative" CHECK ("mall_items"."stock" >= 0),
	CONSTRAINT "mall_items_points_cost_positive" CHECK ("mall_items"."points_cost" > 0),
	CONSTRAINT "mall_items_per_member_limit_positive" CHECK ("mall_items"."per_member_limit" > 0),
	CONSTRAINT "mall_items_pickup_days_range" CHECK ("mall_items"."pickup_days" BETWEEN 1 AND 90),
	CONSTRAINT "mall_items_name_not_blank" CHECK (length(trim("mall_items"."name")) > 0),
	CONSTRAINT "mall_items_sale_window" CHECK ("mall_items"."sale_starts_at" IS NULL OR "mall_items"."sale_ends_at" IS NULL OR "mall_items"."sale_ends_at" > "mall_items"."sale_starts_at")
);
--> statement-breakpoint
CREATE TABLE "mall_orders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mall_orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"unit_cost" integer NOT NULL,
	"points_spent" integer NOT NULL,
	"pickup_code" text NOT NULL,
	"status" text DEFAULT 'awaiting_pickup' NOT NULL,
	"pickup_deadline" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"fulfilled_by" integer,
	CONSTRAINT "mall_orders_pickup_code_unique" UNIQUE("pickup_code"),
	CONSTRAINT "mall_orders_quantity_positive" CHECK ("mall_orders"."quantity" > 0),
	CONSTRAINT "mall_orders_unit_cost_positive" CHECK ("mall_orders"."unit_cost" > 0),
	CONSTRAINT "mall_orders_points_spent" CHECK ("mall_orders"."points_spent" = "mall_orders"."quantity" * "mall_orders"."unit_cost"),
	CONSTRAINT "mall_orders_status_known" CHECK ("mall_orders"."status" IN ('awaiting_pickup','fulfilled','cancelled','expired')),
	CONSTRAINT "mall_orders_closed_when_done" CHECK (("mall_orders"."status" = 'awaiting_pickup') = ("mall_orders"."closed_at" IS NULL)),
	CONSTRAINT "mall_orders_fulfilled_by_staff" CHECK (("mall_orders"."status" = 'fulfilled') = ("mall_orders"."fulfilled_by" IS NOT NULL)),
	CONSTRAINT "mall_orders_pickup_code_format" CHECK ("mall_orders"."pickup_code" ~ '^[2-9A-HJKMNP-Z]{8}$')
);
--> statement-breakpoint
CREATE TABLE "order_lot_spends" (
	"order_id" integer NOT NULL,
	"lot_id" integer NOT NULL,
	"amount" integer NOT NULL,
	CONSTRAINT "order_lot_spends_order_id_lot_id_pk" PRIMARY KEY("order_id","lot_id"),
	CONSTRAINT "order_lot_spends_amount_positive" CHECK ("order_lot_spends"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "point_grants" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "point_grants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"actor_id" integer NOT NULL,
	"amount" integer NOT NULL,
	"reason" text NOT NULL,
	"expires_at" timestamp with time zone,
	"union_id" integer,
	"member_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "point_grants_amount_positive" CHECK ("point_grants"."amount" > 0),
	CONSTRAINT "point_grants_member_count_nonnegative" CHECK ("point_grants"."member_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "point_lots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "point_lots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" integer NOT NULL,
	"kind" text NOT NULL,
	"grant_id" integer,
	"amount" integer NOT NULL,
	"remaining" integer NOT NULL,
	"expires_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "point_lots_kind_known" CHECK ("point_lots"."kind" IN ('grant','earn','refund','adjust')),
	CONSTRAINT "point_lots_amount_positive" CHECK ("point_lots"."amount" > 0),
	CONSTRAINT "point_lots_remaining_range" CHECK ("point_lots"."remaining" >= 0 AND "point_lots"."remaining" <= "point_lots"."amount"),
	CONSTRAINT "point_lots_expired_empty" CHECK ("point_lots"."expired_at" IS NULL OR "point_lots"."remaining" = 0)
);
--> statement-breakpoint
ALTER TABLE "point_ledger" ADD COLUMN "lot_id" integer;--> statement-breakpoint
ALTER TABLE "point_ledger" ADD COLUMN "order_id" integer;--> statement-breakpoint
ALTER TABLE "mall_items" ADD CONSTRAINT "mall_items_union_id_unions_id_fk" FOREIGN KEY ("union_id") REFERENCES "public"."unions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mall_orders" ADD CONSTRAINT "mall_orders_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mall_orders" ADD CONSTRAINT "mall_orders_item_id_mall_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."mall_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mall_orders" ADD CONSTRAINT "mall_orders_fulfilled_by_members_id_fk" FOREIGN KEY ("fulfilled_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lot_spends" ADD CONSTRAINT "order_lot_spends_order_id_mall_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."mall_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lot_spends" ADD CONSTRAINT "order_lot_spends_lot_id_point_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."point_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_grants" ADD CONSTRAINT "point_grants_actor_id_members_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_grants" ADD CONSTRAINT "point_grants_union_id_unions_id_fk" FOREIGN KEY ("union_id") REFERENCES "public"."unions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_lots" ADD CONSTRAINT "point_lots_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_lots" ADD CONSTRAINT "point_lots_grant_id_point_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."point_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mall_items_union_idx" ON "mall_items" USING btree ("union_id");--> statement-breakpoint
CREATE INDEX "mall_orders_member_idx" ON "mall_orders" USING btree ("member_id","id");--> statement-breakpoint
CREATE INDEX "mall_orders_member_item_idx" ON "mall_orders" USING btree ("member_id","item_id") WHERE "mall_orders"."status" IN ('awaiting_pickup','fulfilled');--> statement-breakpoint
CREATE INDEX "mall_orders_item_idx" ON "mall_orders" USING btree ("item_id","status");--> statement-breakpoint
CREATE INDEX "mall_orders_awaiting_deadline_idx" ON "mall_orders" USING btree ("pickup_deadline") WHERE "mall_orders"."status" = 'awaiting_pickup';--> statement-breakpoint
CREATE INDEX "point_lots_member_open_idx" ON "point_lots" USING btree ("member_id","expires_at") WHERE "point_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "point_lots_due_idx" ON "point_lots" USING btree ("expires_at") WHERE "point_lots"."expired_at" IS NULL AND "point_lots"."expires_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "point_ledger" ADD CONSTRAINT "point_ledger_lot_id_point_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."point_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_ledger" ADD CONSTRAINT "point_ledger_order_id_mall_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."mall_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "point_ledger_expire_once" ON "point_ledger" USING btree ("lot_id") WHERE "point_ledger"."kind" = 'expire';--> statement-breakpoint
CREATE UNIQUE INDEX "point_ledger_redeem_once" ON "point_ledger" USING btree ("order_id") WHERE "point_ledger"."kind" = 'redeem';--> statement-breakpoint
CREATE UNIQUE INDEX "point_ledger_refund_once" ON "point_ledger" USING btree ("order_id") WHERE "point_ledger"."kind" = 'refund';--> statement-breakpoint
-- Balances granted before lots existed become one lot each, so that the open lots of every member
-- add up to the balance (redemption spends lots). A fresh database has nothing to carry over.
INSERT INTO "point_lots" ("member_id", "kind", "amount", "remaining", "reason")
SELECT "member_id", 'adjust', "balance", "balance", '期初积分' FROM "point_accounts" WHERE "balance" > 0;
