CREATE TYPE "public"."facility_kind" AS ENUM('party_centre', 'red_station', 'rider_station', 'red_property', 'ngo_incubator');--> statement-breakpoint
CREATE TABLE "siting_scenarios" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_centres" ADD COLUMN "kind" "facility_kind" DEFAULT 'party_centre' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "siting_scenarios_owner_name" ON "siting_scenarios" USING btree ("owner","name");--> statement-breakpoint
CREATE INDEX "service_centres_kind_idx" ON "service_centres" USING btree ("kind");