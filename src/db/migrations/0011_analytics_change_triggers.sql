-- Custom SQL migration file, put your code below! --
-- Report dimensions that change without a stage transition: the rollups of src/modules/reports
-- recount these people (reports.refresh.ts). Statement triggers: one insert per statement.
CREATE FUNCTION analytics_people_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_lead_changes (person_id)
  SELECT n.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id
  WHERE (n.source, n.campaign_id, n.landing_page, n.owner_id, n.account_id, n.created_at,
         n.attributes->>'business_segment')
        IS DISTINCT FROM
        (o.source, o.campaign_id, o.landing_page, o.owner_id, o.account_id, o.created_at,
         o.attributes->>'business_segment');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_people_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_lead_changes (person_id) SELECT o.id FROM analytics_old o;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_accounts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_lead_changes (person_id)
  SELECT p.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id JOIN people p ON p.account_id = n.id
  WHERE n.industry IS DISTINCT FROM o.industry;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER analytics_people_updated AFTER UPDATE ON people
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_people_updated();
--> statement-breakpoint
CREATE TRIGGER analytics_people_deleted AFTER DELETE ON people
  REFERENCING OLD TABLE AS analytics_old
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_people_deleted();
--> statement-breakpoint
CREATE TRIGGER analytics_accounts_updated AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_accounts_updated();
