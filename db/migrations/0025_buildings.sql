CREATE TABLE "buildings" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" varchar(32) NOT NULL,
	"name" text,
	"address" text,
	"floors" smallint,
	"households" integer DEFAULT 0 NOT NULL,
	"population" integer DEFAULT 0 NOT NULL,
	"community_code" varchar(12),
	"geom" geometry(Point,4326) NOT NULL,
	"footprint" geometry(MultiPolygon,4326),
	"grid_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "buildings_counts" CHECK ("buildings"."households" >= 0 and "buildings"."population" >= 0)
);
--> statement-breakpoint
CREATE TABLE "household_bands" (
	"community_code" varchar(12) PRIMARY KEY NOT NULL,
	"min_households" integer NOT NULL,
	"max_households" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "household_bands_order" CHECK ("household_bands"."min_households" >= 0 and "household_bands"."max_households" >= "household_bands"."min_households")
);
--> statement-breakpoint
ALTER TABLE "household_bands" ADD CONSTRAINT "household_bands_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_code_unique" ON "buildings" USING btree ("code");--> statement-breakpoint
CREATE INDEX "buildings_grid_idx" ON "buildings" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "buildings_community_idx" ON "buildings" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "buildings_geom_gist" ON "buildings" USING gist ("geom");