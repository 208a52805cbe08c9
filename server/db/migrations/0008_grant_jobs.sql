ALTER TABLE "point_grants" ADD COLUMN "status" text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE "point_grants" ADD COLUMN "granted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "point_grants" ADD COLUMN "job_id" integer;--> statement-breakpoint
UPDATE "point_grants" SET "granted" = "member_count";--> statement-breakpoint
ALTER TABLE "point_grants" ADD CONSTRAINT "point_grants_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "point_lots_grant_member_once" ON "point_lots" USING btree ("grant_id","member_id");--> statement-breakpoint
ALTER TABLE "point_grants" ADD CONSTRAINT "point_grants_job_id_unique" UNIQUE("job_id");--> statement-breakpoint
ALTER TABLE "point_grants" ADD CONSTRAINT "point_grants_status_known" CHECK ("point_grants"."status" IN ('running','done','failed'));--> statement-breakpoint
ALTER TABLE "point_grants" ADD CONSTRAINT "point_grants_granted_nonnegative" CHECK ("point_grants"."granted" >= 0);