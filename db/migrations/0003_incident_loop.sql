ALTER TABLE "incident_transitions" ADD COLUMN "action" text DEFAULT 'stage' NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "deadline_extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "suspended" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "merc_x" double precision GENERATED ALWAYS AS (ST_X(geom) * 20037508.342789244 / 180) STORED;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "merc_y" double precision GENERATED ALWAYS AS (ln(tan(radians(90 + ST_Y(geom)) / 2)) * 6378137) STORED;--> statement-breakpoint
CREATE INDEX "incidents_street_idx" ON "incidents" USING btree ("street_code");--> statement-breakpoint
CREATE INDEX "incidents_deadline_idx" ON "incidents" USING btree ("deadline_at");--> statement-breakpoint
CREATE INDEX "incidents_closed_idx" ON "incidents" USING btree ("closed_at");--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_source_known" CHECK ("incidents"."source" in ('grid', 'hongsheng', 'hotline'));--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_satisfaction_range" CHECK ("incidents"."satisfaction" between 1 and 5);