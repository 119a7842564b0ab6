-- A person always has a stage: one created without (an import of a file with no stage column, an
-- empty stage cell, or a stage no one starts in such as "recycled") now starts at the lifecycle's
-- first stage, "new", as over the API. People imported that way before get the same first
-- transition, dated at their creation, with the rule of the import that made them (`import:<source>`,
-- the prefix of their external id), so that the funnel, the People list and the lead page agree.
-- Left alone where the history shows a lifecycle of one's own (LOCKSTEP_LIFECYCLE) without "new":
-- stages the default lifecycle does not have, and nobody ever at "new".
WITH started AS (
  INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule, reason)
  SELECT p.id, NULL, 'new', p.created_at,
         CASE WHEN p.external_id LIKE '%:%' THEN 'import:' || split_part(p.external_id, ':', 1) ELSE 'import' END,
         'imported without a stage: starts at "new"'
  FROM people p
  WHERE p.stage IS NULL
    AND NOT EXISTS (SELECT 1 FROM stage_transitions t WHERE t.person_id = p.id)
    AND (EXISTS (SELECT 1 FROM stage_transitions t WHERE t.to_stage = 'new')
         OR NOT EXISTS (
           SELECT 1 FROM stage_transitions t
           WHERE t.to_stage NOT IN ('new', 'mql', 'sal', 'sql', 'opportunity', 'won', 'lost', 'nurture',
                                    'recycled', 'disqualified')))
  ORDER BY p.created_at, p.id
  RETURNING person_id, occurred_at
)
UPDATE people p SET stage = 'new', stage_entered_at = s.occurred_at
FROM started s
WHERE p.id = s.person_id;
