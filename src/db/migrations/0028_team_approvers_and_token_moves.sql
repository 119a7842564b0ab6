ALTER TABLE "stage_transitions" ADD COLUMN "actor_token_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "approver" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "opportunity_transitions" ADD COLUMN "actor_token_id" uuid;--> statement-breakpoint
ALTER TABLE "stage_transitions" ADD CONSTRAINT "stage_transitions_actor_token_id_api_tokens_id_fk" FOREIGN KEY ("actor_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_transitions" ADD CONSTRAINT "opportunity_transitions_actor_token_id_api_tokens_id_fk" FOREIGN KEY ("actor_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Until now anyone on a team who could write records could sign a lead definition for it. Those
-- people stay approvers, so nothing a workspace agreed changes; an admin narrows the list on the
-- Team page. New users are approvers only when an admin says so.
UPDATE "users" SET "approver" = true WHERE "role" <> 'viewer' AND "password_hash" IS NOT NULL;
