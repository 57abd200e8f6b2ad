ALTER TABLE "incident_transitions" ADD COLUMN "actor_username" text;--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD COLUMN "imported" boolean DEFAULT false NOT NULL;