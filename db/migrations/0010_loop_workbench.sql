CREATE TABLE "incident_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"hours" integer,
	"requested_by" text NOT NULL,
	"requested_by_user_id" integer,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision" text,
	"decision_note" text,
	CONSTRAINT "incident_requests_kind_known" CHECK ("incident_requests"."kind" in ('return', 'extension', 'suspension')),
	CONSTRAINT "incident_requests_decision_known" CHECK ("incident_requests"."decision" in ('approved', 'refused', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "incident_revisit_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incident_summons" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"summoned_at" timestamp with time zone NOT NULL,
	"summoned_by" text NOT NULL,
	"reported_at" timestamp with time zone,
	"reported_by" text,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD COLUMN "actor_user_id" integer;--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD COLUMN "department_id" integer;--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD COLUMN "assignee_user_id" integer;--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "reporter_user_id" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "department_id" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "assignee_user_id" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "dispatched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "sign_deadline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "signed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "handler_user_id" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "verifier_user_id" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "urge_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_urged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "pending_request" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "place_code" varchar(15) GENERATED ALWAYS AS (coalesce(grid_code, community_code, street_code)) STORED;--> statement-breakpoint
CREATE INDEX "incident_requests_incident_idx" ON "incident_requests" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_revisit_tokens_hash" ON "incident_revisit_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "incident_revisit_tokens_incident_idx" ON "incident_revisit_tokens" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_summons_unique" ON "incident_summons" USING btree ("incident_id","department_id");--> statement-breakpoint
CREATE INDEX "incident_summons_department_idx" ON "incident_summons" USING btree ("department_id","reported_at");--> statement-breakpoint
CREATE INDEX "incident_transitions_assignee_idx" ON "incident_transitions" USING btree ("assignee_user_id") WHERE "incident_transitions"."assignee_user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "incident_transitions_actor_idx" ON "incident_transitions" USING btree ("actor_user_id") WHERE "incident_transitions"."actor_user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "incident_transitions_department_idx" ON "incident_transitions" USING btree ("department_id") WHERE "incident_transitions"."department_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "incidents_place_stage_idx" ON "incidents" USING btree ("place_code" text_pattern_ops,"stage","deadline_at");--> statement-breakpoint
CREATE INDEX "incidents_stage_deadline_idx" ON "incidents" USING btree ("stage","deadline_at");--> statement-breakpoint
CREATE INDEX "incidents_department_stage_idx" ON "incidents" USING btree ("department_id","stage","deadline_at");--> statement-breakpoint
CREATE INDEX "incidents_assignee_stage_idx" ON "incidents" USING btree ("assignee_user_id","stage","deadline_at");--> statement-breakpoint
CREATE INDEX "incidents_reporter_idx" ON "incidents" USING btree ("reporter_user_id","reported_at");--> statement-breakpoint
CREATE INDEX "incidents_urged_idx" ON "incidents" USING btree ("place_code" text_pattern_ops,"deadline_at") WHERE "incidents"."urge_count" > 0;--> statement-breakpoint
CREATE INDEX "incidents_pending_idx" ON "incidents" USING btree ("place_code" text_pattern_ops,"deadline_at") WHERE "incidents"."pending_request" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_pending_known" CHECK ("incidents"."pending_request" in ('return', 'extension', 'suspension'));