CREATE TABLE "foreign_grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"network_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"area_m2" double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED
);
--> statement-breakpoint
CREATE TABLE "foreign_networks" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"source_file" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sub_grid_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sub_grid_id" integer NOT NULL,
	"code" varchar(17) NOT NULL,
	"level" text NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"before_geom" geometry(MultiPolygon,4326),
	"after_geom" geometry(MultiPolygon,4326),
	"before_attrs" jsonb,
	"after_attrs" jsonb
);
--> statement-breakpoint
CREATE TABLE "sub_grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" varchar(17) NOT NULL,
	"level" text NOT NULL,
	"kind" text,
	"name" text NOT NULL,
	"parent_grid_code" varchar(15),
	"community_code" varchar(12) NOT NULL,
	"street_code" varchar(9) NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"area_m2" double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
	"households" integer DEFAULT 0 NOT NULL,
	"population" integer DEFAULT 0 NOT NULL,
	"keeper" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "sub_grids_level_known" CHECK ("sub_grids"."level" in ('micro', 'exclusive')),
	CONSTRAINT "sub_grids_code_rule" CHECK (("sub_grids"."level" = 'micro' AND "sub_grids"."code" ~ '^[0-9]{17}$' AND left("sub_grids"."code", 15) = "sub_grids"."parent_grid_code" AND "sub_grids"."kind" IS NULL)
       OR ("sub_grids"."level" = 'exclusive' AND "sub_grids"."code" ~ '^[0-9]{12}[1-5][0-9]{3}$' AND "sub_grids"."parent_grid_code" IS NULL
           AND "sub_grids"."kind" = (ARRAY['学校','医院','产业园区','商务楼宇','市场'])[substr("sub_grids"."code", 13, 1)::int])),
	CONSTRAINT "sub_grids_code_in_community" CHECK (left("sub_grids"."code", 12) = "sub_grids"."community_code")
);
--> statement-breakpoint
ALTER TABLE "foreign_grids" ADD CONSTRAINT "foreign_grids_network_id_foreign_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."foreign_networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_grids" ADD CONSTRAINT "sub_grids_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "foreign_grids_network_idx" ON "foreign_grids" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "foreign_grids_geom_gist" ON "foreign_grids" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "sub_grid_versions_grid_version" ON "sub_grid_versions" USING btree ("sub_grid_id","version");--> statement-breakpoint
CREATE INDEX "sub_grid_versions_code_idx" ON "sub_grid_versions" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "sub_grids_code_unique" ON "sub_grids" USING btree ("code");--> statement-breakpoint
CREATE INDEX "sub_grids_parent_idx" ON "sub_grids" USING btree ("parent_grid_code");--> statement-breakpoint
CREATE INDEX "sub_grids_community_idx" ON "sub_grids" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "sub_grids_geom_gist" ON "sub_grids" USING gist ("geom");--> statement-breakpoint
-- Micro and 专属网格 versions, written whoever writes (editor, import, sample), as for the base grids (0002).
CREATE OR REPLACE FUNCTION sub_grid_attrs(g sub_grids) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('code', g.code, 'level', g.level, 'kind', g.kind, 'name', g.name, 'parentGridCode', g.parent_grid_code,
    'communityCode', g.community_code, 'households', g.households, 'population', g.population, 'keeper', g.keeper)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sub_grid_version_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('dangjian.actor', true), ''), 'system');
  action text := nullif(current_setting('dangjian.action', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sub_grid_versions (sub_grid_id, code, level, version, action, actor, after_geom, after_attrs)
    VALUES (NEW.id, NEW.code, NEW.level, NEW.version, coalesce(action, 'create'), actor, NEW.geom, sub_grid_attrs(NEW));
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF ST_AsEWKB(NEW.geom) = ST_AsEWKB(OLD.geom) AND sub_grid_attrs(NEW) = sub_grid_attrs(OLD) THEN
      RETURN NEW;
    END IF;
    UPDATE sub_grids SET version = OLD.version + 1, updated_at = now(), updated_by = actor WHERE id = NEW.id AND version = NEW.version;
    INSERT INTO sub_grid_versions (sub_grid_id, code, level, version, action, actor, before_geom, after_geom, before_attrs, after_attrs)
    VALUES (NEW.id, NEW.code, NEW.level, OLD.version + 1, coalesce(action, 'update'), actor, OLD.geom, NEW.geom, sub_grid_attrs(OLD), sub_grid_attrs(NEW));
    RETURN NEW;
  ELSE
    INSERT INTO sub_grid_versions (sub_grid_id, code, level, version, action, actor, before_geom, before_attrs)
    VALUES (OLD.id, OLD.code, OLD.level, OLD.version + 1, coalesce(action, 'delete'), actor, OLD.geom, sub_grid_attrs(OLD));
    RETURN OLD;
  END IF;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sub_grids_version_record AFTER INSERT OR UPDATE OF code, name, kind, parent_grid_code, community_code, geom, households, population, keeper OR DELETE ON sub_grids
  FOR EACH ROW EXECUTE FUNCTION sub_grid_version_record();
--> statement-breakpoint
-- The as-of queries look versions up by time.
CREATE INDEX IF NOT EXISTS grid_versions_at_idx ON grid_versions (grid_id, at);
--> statement-breakpoint
-- As of a date, incidents are placed in the grid version that covered them: spatial index on the versions' shapes.
CREATE INDEX IF NOT EXISTS grid_versions_after_geom_gist ON grid_versions USING gist (after_geom);
