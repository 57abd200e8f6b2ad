CREATE TABLE "co_build_projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"title" text NOT NULL,
	"need_id" integer,
	"resource_id" integer,
	"unit_id" integer,
	"status" text DEFAULT 'planned' NOT NULL,
	"finished_on" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "co_build_projects_status" CHECK ("co_build_projects"."status" in ('planned', 'ongoing', 'done'))
);
--> statement-breakpoint
CREATE TABLE "community_list_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"list" text NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"description" text,
	"unit_id" integer,
	"member_id" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"location" geometry(Point,4326),
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_list_items_list" CHECK ("community_list_items"."list" in ('need', 'resource')),
	CONSTRAINT "community_list_items_status" CHECK ("community_list_items"."status" in ('open', 'matched', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "party_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit_id" integer NOT NULL,
	"phone" text,
	"community_code" varchar(12),
	"reported_on" date,
	CONSTRAINT "party_members_report_place" CHECK (("party_members"."reported_on" IS NULL) = ("party_members"."community_code" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "party_units" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"member_count" integer DEFAULT 0 NOT NULL,
	"reported_on" date NOT NULL,
	"location" geometry(Point,4326),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_units_member_count" CHECK ("party_units"."member_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "service_wish_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"wish_id" integer NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor" text NOT NULL,
	"actor_user_id" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "service_wishes" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"category" text NOT NULL,
	"location" geometry(Point,4326),
	"incident_id" bigint,
	"status" text DEFAULT 'open' NOT NULL,
	"posted_by" text NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimant_unit_id" integer,
	"claimant_member_id" integer,
	"claimed_by_user_id" integer,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"done_note" text,
	"done_at" timestamp with time zone,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "service_wishes_kind" CHECK ("service_wishes"."kind" in ('red_rope', 'wish')),
	CONSTRAINT "service_wishes_status" CHECK ("service_wishes"."status" in ('open', 'claimed', 'done', 'confirmed'))
);
--> statement-breakpoint
CREATE TABLE "star_objections" (
	"id" serial PRIMARY KEY NOT NULL,
	"rating_id" integer NOT NULL,
	"text" text NOT NULL,
	"raised_by" text NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decision" text,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "star_ratings" (
	"id" serial PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"org_code" varchar(15) NOT NULL,
	"org_name" text NOT NULL,
	"status" text DEFAULT 'self' NOT NULL,
	"self_scores" jsonb NOT NULL,
	"review_scores" jsonb,
	"stars" smallint,
	"self_by" text NOT NULL,
	"self_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"public_from" timestamp with time zone,
	"public_until" timestamp with time zone,
	"final_by" text,
	"final_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "star_ratings_status" CHECK ("star_ratings"."status" in ('self', 'review', 'public', 'final')),
	CONSTRAINT "star_ratings_stars" CHECK ("star_ratings"."stars" IS NULL OR "star_ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "co_build_projects" ADD CONSTRAINT "co_build_projects_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "co_build_projects" ADD CONSTRAINT "co_build_projects_need_id_community_list_items_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."community_list_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "co_build_projects" ADD CONSTRAINT "co_build_projects_resource_id_community_list_items_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."community_list_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "co_build_projects" ADD CONSTRAINT "co_build_projects_unit_id_party_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."party_units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_list_items" ADD CONSTRAINT "community_list_items_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_list_items" ADD CONSTRAINT "community_list_items_unit_id_party_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."party_units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_list_items" ADD CONSTRAINT "community_list_items_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_unit_id_party_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."party_units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_units" ADD CONSTRAINT "party_units_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_wish_events" ADD CONSTRAINT "service_wish_events_wish_id_service_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "public"."service_wishes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_wishes" ADD CONSTRAINT "service_wishes_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_wishes" ADD CONSTRAINT "service_wishes_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_wishes" ADD CONSTRAINT "service_wishes_claimant_unit_id_party_units_id_fk" FOREIGN KEY ("claimant_unit_id") REFERENCES "public"."party_units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_wishes" ADD CONSTRAINT "service_wishes_claimant_member_id_party_members_id_fk" FOREIGN KEY ("claimant_member_id") REFERENCES "public"."party_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_objections" ADD CONSTRAINT "star_objections_rating_id_star_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."star_ratings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "co_build_projects_community_idx" ON "co_build_projects" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "community_list_items_community_idx" ON "community_list_items" USING btree ("community_code","list");--> statement-breakpoint
CREATE INDEX "party_members_unit_idx" ON "party_members" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "party_members_community_idx" ON "party_members" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "party_units_community_idx" ON "party_units" USING btree ("community_code");--> statement-breakpoint
CREATE INDEX "service_wish_events_wish_idx" ON "service_wish_events" USING btree ("wish_id");--> statement-breakpoint
CREATE INDEX "service_wishes_community_idx" ON "service_wishes" USING btree ("community_code","status");--> statement-breakpoint
CREATE INDEX "star_objections_rating_idx" ON "star_objections" USING btree ("rating_id");--> statement-breakpoint
CREATE UNIQUE INDEX "star_ratings_org_year" ON "star_ratings" USING btree ("org_code","year");--> statement-breakpoint
CREATE INDEX "star_ratings_year_idx" ON "star_ratings" USING btree ("year","status");
--> statement-breakpoint
CREATE TRIGGER party_units_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON party_units FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER party_members_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON party_members FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER co_build_projects_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON co_build_projects FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER service_wishes_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_wishes FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER star_ratings_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON star_ratings FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
