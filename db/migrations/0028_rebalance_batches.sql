CREATE TABLE "rebalance_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"actor" text NOT NULL,
	"username" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"grids" jsonb NOT NULL,
	"moves" jsonb NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" text
);
--> statement-breakpoint
ALTER TABLE "rebalance_batches" ADD CONSTRAINT "rebalance_batches_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rebalance_batches_community_idx" ON "rebalance_batches" USING btree ("community_code","id");