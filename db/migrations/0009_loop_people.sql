ALTER TYPE "public"."user_role" ADD VALUE 'grid_worker';--> statement-breakpoint
ALTER TYPE "public"."user_role" ADD VALUE 'dispatcher';--> statement-breakpoint
ALTER TYPE "public"."user_role" ADD VALUE 'dept_staff';--> statement-breakpoint
CREATE TABLE "category_departments" (
	"category_code" varchar(16) NOT NULL,
	"department_id" integer NOT NULL,
	CONSTRAINT "category_departments_category_code_department_id_pk" PRIMARY KEY("category_code","department_id")
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" varchar(32) NOT NULL,
	"name" text NOT NULL,
	"level" "region_level" NOT NULL,
	"service_region_code" varchar(12),
	"contact_name" text,
	"contact_phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_grids" (
	"user_id" integer NOT NULL,
	"grid_id" integer NOT NULL,
	CONSTRAINT "user_grids_user_id_grid_id_pk" PRIMARY KEY("user_id","grid_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "department_id" integer;--> statement-breakpoint
ALTER TABLE "category_departments" ADD CONSTRAINT "category_departments_category_code_incident_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."incident_categories"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "category_departments" ADD CONSTRAINT "category_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_grids" ADD CONSTRAINT "user_grids_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_grids" ADD CONSTRAINT "user_grids_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "departments_code_unique" ON "departments" USING btree ("code");--> statement-breakpoint
CREATE INDEX "user_grids_grid_idx" ON "user_grids" USING btree ("grid_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;