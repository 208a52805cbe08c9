CREATE TABLE "event_hosts" (
	"event_id" integer NOT NULL,
	"union_id" integer NOT NULL,
	CONSTRAINT "event_hosts_event_id_union_id_pk" PRIMARY KEY("event_id","union_id")
);
--> statement-breakpoint
CREATE TABLE "event_registrations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_registrations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"public_id" text NOT NULL,
	"checkin_code" text NOT NULL,
	"nickname" text NOT NULL,
	"gender" text NOT NULL,
	"birth_year" integer NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"queue_seq" integer NOT NULL,
	"signed_up_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"checked_in_at" timestamp with time zone,
	"start_group" integer,
	"cohort" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_registrations_one_per_member" UNIQUE("event_id","member_id"),
	CONSTRAINT "event_registrations_event_id" UNIQUE("event_id","id"),
	CONSTRAINT "event_registrations_public_id_unique" UNIQUE("public_id"),
	CONSTRAINT "event_registrations_checkin_code_unique" UNIQUE("checkin_code"),
	CONSTRAINT "event_registrations_queue_unique" UNIQUE("event_id","queue_seq"),
	CONSTRAINT "event_registrations_gender_known" CHECK ("event_registrations"."gender" IN ('male','female')),
	CONSTRAINT "event_registrations_status_known" CHECK ("event_registrations"."status" IN ('confirmed','waitlisted','cancelled')),
	CONSTRAINT "event_registrations_cancelled_at" CHECK (("event_registrations"."status" = 'cancelled') = ("event_registrations"."cancelled_at" IS NOT NULL)),
	CONSTRAINT "event_registrations_checkin_confirmed" CHECK ("event_registrations"."checked_in_at" IS NULL OR "event_registrations"."status" = 'confirmed'),
	CONSTRAINT "event_registrations_cohort_known" CHECK (("event_registrations"."cohort" IS NULL) = ("event_registrations"."start_group" IS NULL) AND ("event_registrations"."cohort" IS NULL OR ("event_registrations"."cohort" IN ('stationary','rotating') AND "event_registrations"."start_group" >= 0)))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"venue" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"signup_opens_at" timestamp with time zone NOT NULL,
	"signup_closes_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"capacity_male" integer,
	"capacity_female" integer,
	"min_birth_year" integer,
	"max_birth_year" integer,
	"confirmed_male" integer DEFAULT 0 NOT NULL,
	"confirmed_female" integer DEFAULT 0 NOT NULL,
	"signup_seq" integer DEFAULT 0 NOT NULL,
	"checkin_code" text NOT NULL,
	"flower_phase" text DEFAULT 'not_open' NOT NULL,
	"group_count" integer,
	"rounds" integer,
	"rotating_gender" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_checkin_code_unique" UNIQUE("checkin_code"),
	CONSTRAINT "events_title_not_blank" CHECK (length(trim("events"."title")) > 0),
	CONSTRAINT "events_windows_in_order" CHECK ("events"."signup_opens_at" < "events"."signup_closes_at" AND "events"."signup_closes_at" <= "events"."starts_at" AND "events"."starts_at" < "events"."ends_at"),
	CONSTRAINT "events_capacity_positive" CHECK ("events"."capacity" > 0),
	CONSTRAINT "events_capacity_per_gender" CHECK (("events"."capacity_male" IS NULL) = ("events"."capacity_female" IS NULL) AND ("events"."capacity_male" IS NULL OR ("events"."capacity_male" BETWEEN 0 AND "events"."capacity" AND "events"."capacity_female" BETWEEN 0 AND "events"."capacity" AND "events"."capacity_male" + "events"."capacity_female" >= "events"."capacity"))),
	CONSTRAINT "events_birth_years" CHECK ("events"."min_birth_year" IS NULL OR "events"."max_birth_year" IS NULL OR "events"."min_birth_year" <= "events"."max_birth_year"),
	CONSTRAINT "events_confirmed_within_capacity" CHECK ("events"."confirmed_male" >= 0 AND "events"."confirmed_female" >= 0 AND "events"."confirmed_male" + "events"."confirmed_female" <= "events"."capacity"),
	CONSTRAINT "events_confirmed_within_gender_capacity" CHECK (("events"."capacity_male" IS NULL OR "events"."confirmed_male" <= "events"."capacity_male") AND ("events"."capacity_female" IS NULL OR "events"."confirmed_female" <= "events"."capacity_female")),
	CONSTRAINT "events_flower_phase_known" CHECK ("events"."flower_phase" IN ('not_open','open','closed')),
	CONSTRAINT "events_groups_complete" CHECK (("events"."group_count" IS NULL) = ("events"."rounds" IS NULL) AND ("events"."group_count" IS NULL) = ("events"."rotating_gender" IS NULL) AND ("events"."group_count" IS NULL OR ("events"."group_count" > 0 AND "events"."rounds" BETWEEN 1 AND "events"."group_count" AND "events"."rotating_gender" IN ('male','female'))))
);
--> statement-breakpoint
CREATE TABLE "flower_allowances" (
	"registration_id" integer PRIMARY KEY NOT NULL,
	"event_id" integer NOT NULL,
	"flowers_left" integer DEFAULT 3 NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	CONSTRAINT "flower_allowances_flowers_left" CHECK ("flower_allowances"."flowers_left" BETWEEN 0 AND 3)
);
--> statement-breakpoint
CREATE TABLE "flowers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "flowers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"sender_id" integer NOT NULL,
	"recipient_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flowers_once_per_pair" UNIQUE("event_id","sender_id","recipient_id"),
	CONSTRAINT "flowers_not_to_self" CHECK ("flowers"."sender_id" <> "flowers"."recipient_id")
);
--> statement-breakpoint
ALTER TABLE "event_hosts" ADD CONSTRAINT "event_hosts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_hosts" ADD CONSTRAINT "event_hosts_union_id_unions_id_fk" FOREIGN KEY ("union_id") REFERENCES "public"."unions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flower_allowances" ADD CONSTRAINT "flower_allowances_registration_id_event_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."event_registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flower_allowances" ADD CONSTRAINT "flower_allowances_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flowers" ADD CONSTRAINT "flowers_sender_fk" FOREIGN KEY ("event_id","sender_id") REFERENCES "public"."event_registrations"("event_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flowers" ADD CONSTRAINT "flowers_recipient_fk" FOREIGN KEY ("event_id","recipient_id") REFERENCES "public"."event_registrations"("event_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_hosts_union_idx" ON "event_hosts" USING btree ("union_id");--> statement-breakpoint
CREATE INDEX "event_registrations_queue_idx" ON "event_registrations" USING btree ("event_id","status","queue_seq");--> statement-breakpoint
CREATE INDEX "event_registrations_member_idx" ON "event_registrations" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "flower_allowances_event_idx" ON "flower_allowances" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "flowers_recipient_idx" ON "flowers" USING btree ("event_id","recipient_id");