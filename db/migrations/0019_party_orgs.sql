CREATE TABLE "estates" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" varchar(40) NOT NULL,
	"name" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"property_company" text,
	"owners_committee" boolean DEFAULT false NOT NULL,
	"party_org_id" integer,
	"red_property" boolean DEFAULT false NOT NULL,
	"service_space_m2" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "estates_households_nonneg" CHECK ("estates"."households" >= 0)
);
--> statement-breakpoint
CREATE TABLE "grid_roster" (
	"id" serial PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"duties" text,
	"building" text,
	"party_member" boolean DEFAULT false NOT NULL,
	"user_id" integer,
	"photo_mime" text,
	"photo" "bytea",
	"public_fields" jsonb DEFAULT '["name","duties"]'::jsonb NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "grid_roster_role_known" CHECK ("grid_roster"."role" in ('grid_leader', 'full_time', 'part_time', 'instructor', 'building_leader')),
	CONSTRAINT "grid_roster_photo_mime" CHECK ("grid_roster"."photo_mime" is null or "grid_roster"."photo_mime" in ('image/jpeg', 'image/png', 'image/webp'))
);
--> statement-breakpoint
CREATE TABLE "party_orgs" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" varchar(40) NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"parent_id" integer,
	"attach_kind" text NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"grid_id" integer,
	"estate_id" integer,
	"building" text,
	"joint" boolean DEFAULT false NOT NULL,
	"secretary" text,
	"secretary_phone" text,
	"members" integer DEFAULT 0 NOT NULL,
	"founded_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "party_orgs_kind_known" CHECK ("party_orgs"."kind" in ('党委', '党工委', '党总支', '党支部', '党小组')),
	CONSTRAINT "party_orgs_attach_known" CHECK ("party_orgs"."attach_kind" in ('region', 'grid', 'estate', 'building')),
	CONSTRAINT "party_orgs_members_nonneg" CHECK ("party_orgs"."members" >= 0),
	CONSTRAINT "party_orgs_not_own_parent" CHECK ("party_orgs"."parent_id" is distinct from "party_orgs"."id")
);
--> statement-breakpoint
CREATE TABLE "roster_pairs" (
	"id" serial PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"member_name" text NOT NULL,
	"member_phone" text,
	"worker_id" integer NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "roster_pairs_households_nonneg" CHECK ("roster_pairs"."households" >= 0)
);
--> statement-breakpoint
ALTER TABLE "estates" ADD CONSTRAINT "estates_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estates" ADD CONSTRAINT "estates_party_org_id_party_orgs_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_orgs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_roster" ADD CONSTRAINT "grid_roster_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_roster" ADD CONSTRAINT "grid_roster_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_pairs" ADD CONSTRAINT "roster_pairs_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_pairs" ADD CONSTRAINT "roster_pairs_worker_id_grid_roster_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."grid_roster"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "estates_code_unique" ON "estates" USING btree ("code");--> statement-breakpoint
CREATE INDEX "estates_community_idx" ON "estates" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "estates_geom_gist" ON "estates" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "grid_roster_grid_idx" ON "grid_roster" USING btree ("grid_id","sort");--> statement-breakpoint
CREATE UNIQUE INDEX "party_orgs_code_unique" ON "party_orgs" USING btree ("code");--> statement-breakpoint
CREATE INDEX "party_orgs_parent_idx" ON "party_orgs" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "party_orgs_region_idx" ON "party_orgs" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "party_orgs_grid_idx" ON "party_orgs" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "party_orgs_estate_idx" ON "party_orgs" USING btree ("estate_id");--> statement-breakpoint
CREATE INDEX "roster_pairs_grid_idx" ON "roster_pairs" USING btree ("grid_id");--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."party_orgs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_estate_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- The grids' party-organisation names become the tree (issue 16): every street with grids gets a
-- 街道党工委, every community a 社区党总支 under it, every grid with an organisation its 网格党支部
-- (联合党支部: joint) — a grid typed 党小组 a 党小组 under the community's 直属党支部. Idempotent:
-- grids that already have an organisation and codes that exist are left alone. The sample loader
-- calls it too, so both paths give the same tree.
CREATE OR REPLACE FUNCTION party_orgs_from_grids(actor text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  added integer;
BEGIN
  INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, members, updated_by)
  SELECT s.code || '-DGW', s.name || '党工委', '党工委', NULL, 'region', s.code, 0, actor
  FROM regions s WHERE s.level = 'street' AND EXISTS (SELECT 1 FROM grids g WHERE g.street_code = s.code AND g.party_org_name IS NOT NULL)
  ON CONFLICT (code) DO NOTHING;
  INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, members, updated_by)
  SELECT c.code || '-DZZ', c.name || '党总支', '党总支', p.id, 'region', c.code, 0, actor
  FROM regions c JOIN party_orgs p ON p.code = c.parent_code || '-DGW'
  WHERE c.level = 'community' AND EXISTS (SELECT 1 FROM grids g WHERE g.community_code = c.code AND g.party_org_name IS NOT NULL)
  ON CONFLICT (code) DO NOTHING;
  INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, members, updated_by)
  SELECT c.code || '-ZSZB', c.name || '直属党支部', '党支部', p.id, 'region', c.code, 0, actor
  FROM regions c JOIN party_orgs p ON p.code = c.code || '-DZZ'
  WHERE EXISTS (SELECT 1 FROM grids g WHERE g.community_code = c.code AND g.party_org_type = '党小组' AND g.party_org_name IS NOT NULL)
  ON CONFLICT (code) DO NOTHING;
  INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, grid_id, joint, secretary, secretary_phone, members, updated_by)
  SELECT g.code || CASE WHEN g.party_org_type = '党小组' THEN '-XZ' ELSE '-ZB' END, g.party_org_name,
         CASE WHEN g.party_org_type = '党小组' THEN '党小组' ELSE '党支部' END,
         p.id, 'grid', g.community_code, g.id, coalesce(g.party_org_type = '联合党支部', false),
         g.party_secretary, g.party_secretary_phone, g.party_members, actor
  FROM grids g
  JOIN party_orgs p ON p.code = g.community_code || CASE WHEN g.party_org_type = '党小组' THEN '-ZSZB' ELSE '-DZZ' END
  WHERE g.party_org_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM party_orgs o WHERE o.grid_id = g.id)
  ON CONFLICT (code) DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  -- Region-level organisations count the members of the grid organisations below them.
  UPDATE party_orgs o SET members = s.total
  FROM (SELECT p.id, sum(ch.members)::int AS total
        FROM party_orgs p JOIN party_orgs ch ON ch.attach_kind = 'grid' AND starts_with(ch.region_code, p.region_code)
          AND (p.kind <> '党支部' OR ch.kind = '党小组')
        WHERE p.attach_kind = 'region' GROUP BY p.id) s
  WHERE o.id = s.id AND o.members = 0;
  RETURN added;
END $$;--> statement-breakpoint
SELECT party_orgs_from_grids('migration');
