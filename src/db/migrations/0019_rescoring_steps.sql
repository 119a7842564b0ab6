ALTER TABLE "rescoring_runs" ADD COLUMN "step" text;--> statement-breakpoint
ALTER TABLE "rescoring_runs" ADD COLUMN "qualified" integer;--> statement-breakpoint
ALTER TABLE "rescoring_runs" ADD COLUMN "checked" integer DEFAULT 0 NOT NULL;