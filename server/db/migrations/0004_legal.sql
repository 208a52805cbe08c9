CREATE TABLE "legal_availability_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_availability_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"lawyer_id" integer NOT NULL,
	"service_point_id" integer NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"slot_minutes" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_rules_weekday" CHECK ("legal_availability_rules"."weekday" BETWEEN 1 AND 7),
	CONSTRAINT "legal_rules_times" CHECK ("legal_availability_rules"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "legal_availability_rules"."end_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "legal_availability_rules"."end_time" > "legal_availability_rules"."start_time"),
	CONSTRAINT "legal_rules_slot_minutes" CHECK ("legal_availability_rules"."slot_minutes" BETWEEN 10 AND 240),
	CONSTRAINT "legal_rules_validity" CHECK ("legal_availability_rules"."valid_to" IS NULL OR "legal_availability_rules"."valid_to" >= "legal_availability_rules"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "legal_bookings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_bookings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" integer NOT NULL,
	"lawyer_id" integer NOT NULL,
	"service_point_id" integer NOT NULL,
	"topic_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"phone" text NOT NULL,
	"description" text NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"notes" text,
	"rating_stars" integer,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"outcome_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_bookings_status_known" CHECK ("legal_bookings"."status" IN ('booked','cancelled','completed','no_show')),
	CONSTRAINT "legal_bookings_times" CHECK ("legal_bookings"."ends_at" > "legal_bookings"."starts_at"),
	CONSTRAINT "legal_bookings_phone_format" CHECK ("legal_bookings"."phone" ~ '^1[3-9][0-9]{9}$'),
	CONSTRAINT "legal_bookings_description_length" CHECK (char_length("legal_bookings"."description") BETWEEN 10 AND 500),
	CONSTRAINT "legal_bookings_cancelled_when" CHECK (("legal_bookings"."status" = 'cancelled') = ("legal_bookings"."cancelled_at" IS NOT NULL)),
	CONSTRAINT "legal_bookings_rating" CHECK (("legal_bookings"."rating_stars" IS NULL AND "legal_bookings"."rated_at" IS NULL)
       OR ("legal_bookings"."rating_stars" BETWEEN 1 AND 5 AND "legal_bookings"."rated_at" IS NOT NULL AND "legal_bookings"."status" = 'completed'))
);
--> statement-breakpoint
CREATE TABLE "legal_closures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_closures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"date" date NOT NULL,
	"reason" text NOT NULL,
	"service_point_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_closures_date_point_unique" UNIQUE NULLS NOT DISTINCT("date","service_point_id")
);
--> statement-breakpoint
CREATE TABLE "legal_lawyers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_lawyers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" integer NOT NULL,
	"firm" text NOT NULL,
	"specialties" text[] DEFAULT ARRAY[]::text[] NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_lawyers_member_id_unique" UNIQUE("member_id"),
	CONSTRAINT "legal_lawyers_firm_not_blank" CHECK (length(trim("legal_lawyers"."firm")) > 0)
);
--> statement-breakpoint
CREATE TABLE "legal_service_points" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_service_points_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"union_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"address" text,
	"channel" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_service_points_union_name_unique" UNIQUE("union_id","name"),
	CONSTRAINT "legal_service_points_kind" CHECK (("legal_service_points"."kind" = 'workstation' AND "legal_service_points"."address" IS NOT NULL AND "legal_service_points"."channel" IS NULL)
       OR ("legal_service_points"."kind" = 'online' AND "legal_service_points"."channel" IN ('phone','video')))
);
--> statement-breakpoint
CREATE TABLE "legal_topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "legal_topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "legal_topics_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "legal_availability_rules" ADD CONSTRAINT "legal_availability_rules_lawyer_id_legal_lawyers_id_fk" FOREIGN KEY ("lawyer_id") REFERENCES "public"."legal_lawyers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_availability_rules" ADD CONSTRAINT "legal_availability_rules_service_point_id_legal_service_points_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."legal_service_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_availability_rules" ADD CONSTRAINT "legal_availability_rules_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_bookings" ADD CONSTRAINT "legal_bookings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_bookings" ADD CONSTRAINT "legal_bookings_lawyer_id_legal_lawyers_id_fk" FOREIGN KEY ("lawyer_id") REFERENCES "public"."legal_lawyers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_bookings" ADD CONSTRAINT "legal_bookings_service_point_id_legal_service_points_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."legal_service_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_bookings" ADD CONSTRAINT "legal_bookings_topic_id_legal_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."legal_topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_closures" ADD CONSTRAINT "legal_closures_service_point_id_legal_service_points_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."legal_service_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_closures" ADD CONSTRAINT "legal_closures_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_lawyers" ADD CONSTRAINT "legal_lawyers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_service_points" ADD CONSTRAINT "legal_service_points_union_id_unions_id_fk" FOREIGN KEY ("union_id") REFERENCES "public"."unions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_rules_lawyer_idx" ON "legal_availability_rules" USING btree ("lawyer_id");--> statement-breakpoint
CREATE INDEX "legal_rules_point_idx" ON "legal_availability_rules" USING btree ("service_point_id");--> statement-breakpoint
CREATE UNIQUE INDEX "legal_bookings_slot_active_unique" ON "legal_bookings" USING btree ("lawyer_id","starts_at") WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX "legal_bookings_member_idx" ON "legal_bookings" USING btree ("member_id","status");--> statement-breakpoint
CREATE INDEX "legal_bookings_point_idx" ON "legal_bookings" USING btree ("service_point_id","starts_at");