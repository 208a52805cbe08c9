-- Issue 14, the events/points operations: points for taking part, the current round.
ALTER TABLE "events" ADD COLUMN "checkin_points" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_checkin_points_range" CHECK ("events"."checkin_points" BETWEEN 0 AND 100000);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "current_round" integer;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_current_round_in_rounds" CHECK ("events"."current_round" IS NULL OR ("events"."rounds" IS NOT NULL AND "events"."current_round" BETWEEN 1 AND "events"."rounds"));
--> statement-breakpoint
ALTER TABLE "point_ledger" ADD COLUMN "registration_id" integer;
--> statement-breakpoint
ALTER TABLE "point_ledger" ADD CONSTRAINT "point_ledger_registration_id_event_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."event_registrations"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "point_ledger" ADD CONSTRAINT "point_ledger_earn_has_source" CHECK ("point_ledger"."kind" <> 'earn' OR "point_ledger"."registration_id" IS NOT NULL);
--> statement-breakpoint
CREATE UNIQUE INDEX "point_ledger_earn_once" ON "point_ledger" USING btree ("registration_id") WHERE "point_ledger"."kind" = 'earn';
