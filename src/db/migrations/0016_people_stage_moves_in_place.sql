-- A stage move is the most frequent change to a person (every hand-off, every MQL a re-scoring run
-- makes). With the stage in no index and room left on each page, PostgreSQL writes the new row
-- version beside the old one (a heap-only tuple): no new entry in any of the table's six indexes.
-- Reps' queues still find their people by owner, then read the stage from the row.
DROP INDEX "people_owner_stage_idx";--> statement-breakpoint
CREATE INDEX "people_owner_idx" ON "people" USING btree ("owner_id");--> statement-breakpoint
ALTER TABLE "people" SET (fillfactor = 90);
