-- A deleted person's score goes with a statement trigger on people instead of a foreign key.
-- A re-scoring run swaps a new lead_scores in for the old one; with a key to people, dropping the
-- old table locks people (ACCESS EXCLUSIVE, to remove the key's triggers there) and keying the new
-- one locks it too, under the swap's lock on lead_scores: a request that had written a person and
-- then waited to score it deadlocked with the swap, and every read of people waited for it.
ALTER TABLE "lead_scores" DROP CONSTRAINT IF EXISTS "lead_scores_person_id_people_id_fk";--> statement-breakpoint
CREATE FUNCTION lead_scores_people_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lead_scores s USING lead_scores_gone g WHERE s.person_id = g.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER lead_scores_people_deleted AFTER DELETE ON people
  REFERENCING OLD TABLE AS lead_scores_gone
  FOR EACH STATEMENT EXECUTE FUNCTION lead_scores_people_deleted();--> statement-breakpoint
-- Scores whose person is gone (none where the key held): the swap deletes those a run built.
DELETE FROM lead_scores s WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = s.person_id);
