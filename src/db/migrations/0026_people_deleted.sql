-- People deleted lately: the swap of a re-scoring run (and of the daily refresh) drops the built scores
-- of people deleted while it built them from this list, instead of comparing every built score with
-- people under its lock on lead_scores (0.35 s at a million leads, ten times that at ten million).
CREATE TABLE "people_deleted" (
	"person_id" uuid NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "people_deleted_at_idx" ON "people_deleted" USING btree ("deleted_at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION lead_scores_people_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lead_scores s USING lead_scores_gone g WHERE s.person_id = g.id;
  INSERT INTO people_deleted (person_id) SELECT g.id FROM lead_scores_gone g;
  -- A day is far longer than a build takes; the list keeps itself that short.
  DELETE FROM people_deleted WHERE deleted_at < now() - interval '1 day';
  RETURN NULL;
END $$;
