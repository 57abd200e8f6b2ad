CREATE TABLE "grid_areas" (
	"level" text NOT NULL,
	"code" varchar(12) NOT NULL,
	"street_code" varchar(9) NOT NULL,
	"grids" integer DEFAULT 0 NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"star_rating" smallint DEFAULT 0 NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "grid_areas_level_code" ON "grid_areas" USING btree ("level","code");--> statement-breakpoint
CREATE INDEX "grid_areas_geom_gist" ON "grid_areas" USING gist ("geom");