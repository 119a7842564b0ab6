ALTER TABLE "rescoring_engagement" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "rescoring_engagement" CASCADE;--> statement-breakpoint
ALTER TABLE "lead_scores" DROP CONSTRAINT "lead_scores_version_lead_definitions_version_fk";
