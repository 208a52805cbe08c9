CREATE TABLE "activation_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activation_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" integer NOT NULL,
	"code_hash" text NOT NULL,
	"issued_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "activation_codes_used_or_revoked" CHECK ("activation_codes"."used_at" IS NULL OR "activation_codes"."revoked_at" IS NULL)
);
--> statement-breakpoint
CREATE TABLE "bind_attempts" (
	"member_id" integer PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "bind_attempts_failures_range" CHECK ("bind_attempts"."failures" BETWEEN 0 AND 5)
);
--> statement-breakpoint
CREATE TABLE "qr_tickets" (
	"ticket_hash" text PRIMARY KEY NOT NULL,
	"browser" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"approved_by" integer,
	"approved_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "qr_tickets_approval" CHECK (("qr_tickets"."approved_by" IS NULL) = ("qr_tickets"."approved_at" IS NULL) AND ("qr_tickets"."used_at" IS NULL OR "qr_tickets"."approved_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"kind" text NOT NULL,
	"client" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "sessions_kind_known" CHECK ("sessions"."kind" IN ('wechat','web','dev'))
);
--> statement-breakpoint
ALTER TABLE "legal_bookings" DROP CONSTRAINT "legal_bookings_description_length";--> statement-breakpoint
ALTER TABLE "event_registrations" ADD COLUMN "show_details" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "activation_codes" ADD CONSTRAINT "activation_codes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activation_codes" ADD CONSTRAINT "activation_codes_issued_by_members_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bind_attempts" ADD CONSTRAINT "bind_attempts_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qr_tickets" ADD CONSTRAINT "qr_tickets_approved_by_members_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activation_codes_one_live" ON "activation_codes" USING btree ("member_id") WHERE "activation_codes"."used_at" IS NULL AND "activation_codes"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "qr_tickets_expires_idx" ON "qr_tickets" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sessions_member_idx" ON "sessions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "members_phone_idx" ON "members" USING btree ("phone");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_phone_digits" CHECK ("members"."phone" IS NULL OR "members"."phone" ~ '^1[3-9][0-9]{9}$');