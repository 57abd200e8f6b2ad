CREATE TYPE "public"."centre_level" AS ENUM('city', 'district', 'street', 'community', 'estate');--> statement-breakpoint
CREATE TYPE "public"."escalation_level" AS ENUM('grid', 'community', 'street', 'department');--> statement-breakpoint
CREATE TYPE "public"."incident_stage" AS ENUM('collect', 'register', 'dispatch', 'handle', 'feedback', 'close', 'evaluate');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('city', 'district', 'street', 'community');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('leader', 'planner', 'analyst', 'admin');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "demo_belts" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"route" geometry(MultiLineString,4326) NOT NULL,
	"corridor" geometry(MultiPolygon,4326) NOT NULL,
	"member_community_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demo_circles" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"member_community_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"grid_code" varchar(15) NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"before_geom" geometry(MultiPolygon,4326),
	"after_geom" geometry(MultiPolygon,4326),
	"before_attrs" jsonb,
	"after_attrs" jsonb,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" varchar(15) NOT NULL,
	"name" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"street_code" varchar(9) NOT NULL,
	"district_code" varchar(6) NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"area_m2" double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
	"label_point" geometry(Point,4326),
	"households" integer DEFAULT 0 NOT NULL,
	"population" integer DEFAULT 0 NOT NULL,
	"party_org_name" text,
	"party_org_type" text,
	"party_secretary" text,
	"party_members" integer DEFAULT 0 NOT NULL,
	"dual_report_members" integer DEFAULT 0 NOT NULL,
	"grid_workers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"star_rating" smallint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "grids_code_digits" CHECK ("grids"."code" ~ '^[0-9]{15}$'),
	CONSTRAINT "grids_code_in_community" CHECK (left("grids"."code", 12) = "grids"."community_code"),
	CONSTRAINT "grids_star_range" CHECK ("grids"."star_rating" between 0 and 5)
);
--> statement-breakpoint
CREATE TABLE "incident_categories" (
	"code" varchar(16) PRIMARY KEY NOT NULL,
	"major" text NOT NULL,
	"minor" text NOT NULL,
	"deadline_hours" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"from_stage" "incident_stage",
	"to_stage" "incident_stage" NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"category_code" varchar(16) NOT NULL,
	"source" text NOT NULL,
	"reporter" text,
	"description" text,
	"geom" geometry(Point,4326) NOT NULL,
	"grid_code" varchar(15),
	"community_code" varchar(12),
	"street_code" varchar(9),
	"stage" "incident_stage" DEFAULT 'collect' NOT NULL,
	"escalation" "escalation_level" DEFAULT 'grid' NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"extended" boolean DEFAULT false NOT NULL,
	"satisfaction" smallint
);
--> statement-breakpoint
CREATE TABLE "isochrones" (
	"centre_id" integer NOT NULL,
	"minutes" integer NOT NULL,
	"speed_m_per_min" double precision NOT NULL,
	"network_version" integer NOT NULL,
	"method" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" varchar(12) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" "region_level" NOT NULL,
	"parent_code" varchar(12),
	"kind" text,
	"households" integer DEFAULT 0 NOT NULL,
	"population" integer DEFAULT 0 NOT NULL,
	"party_members" integer DEFAULT 0 NOT NULL,
	"dual_report_members" integer DEFAULT 0 NOT NULL,
	"geom" geometry(MultiPolygon,4326),
	"label_point" geometry(Point,4326),
	"is_sample" boolean DEFAULT false NOT NULL,
	CONSTRAINT "regions_code_digits" CHECK ("regions"."code" ~ '^[0-9]{6}([0-9]{3}){0,2}$')
);
--> statement-breakpoint
CREATE TABLE "road_edges" (
	"id" integer PRIMARY KEY NOT NULL,
	"source" integer NOT NULL,
	"target" integer NOT NULL,
	"name" text,
	"road_class" text NOT NULL,
	"length_m" double precision NOT NULL,
	"cost" double precision NOT NULL,
	"reverse_cost" double precision NOT NULL,
	"geom" geometry(LineString,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "road_nodes" (
	"id" integer PRIMARY KEY NOT NULL,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_centres" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" "centre_level" NOT NULL,
	"region_code" varchar(12),
	"area_m2" double precision NOT NULL,
	"households_served" integer DEFAULT 0 NOT NULL,
	"opening_hours" text,
	"address" text,
	"geom" geometry(Point,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_centres_area_positive" CHECK ("service_centres"."area_m2" > 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"role" "user_role" NOT NULL,
	"jurisdiction_code" varchar(12),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_category_code_incident_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."incident_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_centres" ADD CONSTRAINT "service_centres_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "demo_belts_corridor_gist" ON "demo_belts" USING gist ("corridor");--> statement-breakpoint
CREATE INDEX "demo_circles_geom_gist" ON "demo_circles" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "grid_versions_grid_version" ON "grid_versions" USING btree ("grid_id","version");--> statement-breakpoint
CREATE INDEX "grid_versions_code_idx" ON "grid_versions" USING btree ("grid_code");--> statement-breakpoint
CREATE UNIQUE INDEX "grids_code_unique" ON "grids" USING btree ("code");--> statement-breakpoint
CREATE INDEX "grids_community_idx" ON "grids" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "grids_street_idx" ON "grids" USING btree ("street_code");--> statement-breakpoint
CREATE INDEX "grids_geom_gist" ON "grids" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "incident_transitions_incident_idx" ON "incident_transitions" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incidents_geom_gist" ON "incidents" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "incidents_reported_idx" ON "incidents" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "incidents_grid_idx" ON "incidents" USING btree ("grid_code");--> statement-breakpoint
CREATE INDEX "incidents_community_idx" ON "incidents" USING btree ("community_code");--> statement-breakpoint
CREATE UNIQUE INDEX "isochrones_key" ON "isochrones" USING btree ("centre_id","minutes","speed_m_per_min");--> statement-breakpoint
CREATE INDEX "isochrones_geom_gist" ON "isochrones" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "regions_geom_gist" ON "regions" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "road_edges_geom_gist" ON "road_edges" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "road_edges_source_idx" ON "road_edges" USING btree ("source");--> statement-breakpoint
CREATE INDEX "road_edges_target_idx" ON "road_edges" USING btree ("target");--> statement-breakpoint
CREATE INDEX "road_nodes_geom_gist" ON "road_nodes" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "service_centres_geom_gist" ON "service_centres" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "service_centres_region_idx" ON "service_centres" USING btree ("region_code");