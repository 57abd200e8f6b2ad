CREATE TABLE "idempotency_keys" (
	"user_id" integer NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" smallint NOT NULL,
	"content_type" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "patrol_checkins" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"patrol_id" bigint NOT NULL,
	"place_name" text NOT NULL,
	"note" text,
	"lon" double precision,
	"lat" double precision,
	"recorded_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrol_points" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"patrol_id" bigint NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"accuracy_m" double precision
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"grid_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"street_code" varchar(9) NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"note" text,
	CONSTRAINT "patrols_status_known" CHECK ("patrols"."status" in ('active', 'ended'))
);
--> statement-breakpoint
CREATE TABLE "user_phones" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"phone" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"grid_code" varchar(15) NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"target" text NOT NULL,
	"note" text,
	"lon" double precision,
	"lat" double precision,
	"visited_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "patrol_checkins" ADD CONSTRAINT "patrol_checkins_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_points" ADD CONSTRAINT "patrol_points_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_phones" ADD CONSTRAINT "user_phones_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "patrol_checkins_patrol_idx" ON "patrol_checkins" USING btree ("patrol_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patrol_points_patrol_time" ON "patrol_points" USING btree ("patrol_id","recorded_at");--> statement-breakpoint
CREATE INDEX "patrols_user_idx" ON "patrols" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "patrols_community_idx" ON "patrols" USING btree ("community_code","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "patrols_one_active_per_user" ON "patrols" USING btree ("user_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "visits_grid_idx" ON "visits" USING btree ("grid_code","visited_at");--> statement-breakpoint
CREATE INDEX "visits_community_idx" ON "visits" USING btree ("community_code","visited_at");--> statement-breakpoint
-- The big screen's patrol figures come from patrols and patrol_points: their writes move the summary's data version too.
CREATE TRIGGER patrols_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrols FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER patrol_points_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrol_points FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
