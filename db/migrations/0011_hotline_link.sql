CREATE TABLE "hotline_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transition_id" integer NOT NULL,
	"incident_id" integer NOT NULL,
	"case_no" text,
	"url" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "hotline_deliveries_status_known" CHECK ("hotline_deliveries"."status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "hotline_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"jurisdiction_code" varchar(12),
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "external_ref" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hotline_status" text;--> statement-breakpoint
CREATE UNIQUE INDEX "hotline_deliveries_transition_unique" ON "hotline_deliveries" USING btree ("transition_id","url");--> statement-breakpoint
CREATE INDEX "hotline_deliveries_due_idx" ON "hotline_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hotline_keys_hash_unique" ON "hotline_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_external_ref_unique" ON "incidents" USING btree ("external_ref");