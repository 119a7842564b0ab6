ALTER TABLE "lead_assignments" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
UPDATE "lead_assignments" la SET "decided_at" = d."decided_at" FROM "lead_dispositions" d WHERE d."assignment_id" = la."id";--> statement-breakpoint
CREATE INDEX "lead_assignments_undecided_idx" ON "lead_assignments" USING btree ("user_id") WHERE "lead_assignments"."ended_at" IS NULL AND "lead_assignments"."decided_at" IS NULL;
