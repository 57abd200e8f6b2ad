CREATE TABLE "briefings" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"region_name" text NOT NULL,
	"month" varchar(7) NOT NULL,
	"status" text DEFAULT 'generating' NOT NULL,
	"pdf" "bytea",
	"bytes" integer,
	"error" text,
	"requested_by" text NOT NULL,
	"summary" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "briefings_status_known" CHECK ("briefings"."status" in ('generating', 'ready', 'failed')),
	CONSTRAINT "briefings_month_format" CHECK ("briefings"."month" ~ '^[0-9]{4}-[0-9]{2}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "briefings_region_month_unique" ON "briefings" USING btree ("region_code","month");