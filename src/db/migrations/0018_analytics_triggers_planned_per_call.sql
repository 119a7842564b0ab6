-- The statement triggers that join a statement's old and new rows (transition tables) plan that
-- join on every call. PL/pgSQL kept the plan of a function's first call in a connection: planned
-- for the one row of a live move, a nested loop, and then reused for the 40,000 rows of a
-- re-scoring batch, it compared every old row with every new one (minutes instead of a second).
-- EXECUTE plans each call for the rows it has.
CREATE OR REPLACE FUNCTION analytics_people_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_lead_changes (person_id)
    SELECT n.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    WHERE (n.source, n.campaign_id, n.landing_page, n.owner_id, n.account_id, n.created_at,
           n.attributes->>'business_segment')
          IS DISTINCT FROM
          (o.source, o.campaign_id, o.landing_page, o.owner_id, o.account_id, o.created_at,
           o.attributes->>'business_segment')$q$;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_accounts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_lead_changes (person_id)
    SELECT p.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id JOIN people p ON p.account_id = n.id
    WHERE n.industry IS DISTINCT FROM o.industry$q$;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_deals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_deal_changes (opportunity_id)
    SELECT n.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    WHERE (n.stage, n.amount, n.owner_id, n.product, n.account_id, n.person_id, n.opened_at, n.closed_at,
           n.attributes->>'business_segment')
          IS DISTINCT FROM
          (o.stage, o.amount, o.owner_id, o.product, o.account_id, o.person_id, o.opened_at, o.closed_at,
           o.attributes->>'business_segment')$q$;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_deal_people_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_deal_changes (opportunity_id)
    SELECT d.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id JOIN opportunities d ON d.person_id = n.id
    WHERE (n.source, n.campaign_id, n.created_at, n.attributes->>'business_segment')
          IS DISTINCT FROM (o.source, o.campaign_id, o.created_at, o.attributes->>'business_segment')$q$;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_deal_accounts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_deal_changes (opportunity_id)
    SELECT d.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id JOIN opportunities d ON d.account_id = n.id
    WHERE n.industry IS DISTINCT FROM o.industry$q$;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_deal_touches_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_deal_changes (opportunity_id)
    SELECT DISTINCT d.id
    FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    CROSS JOIN LATERAL (VALUES (n.person_id), (o.person_id)) x(person_id)
    JOIN opportunities d ON d.person_id = x.person_id
    WHERE (n.campaign_id IS NOT NULL OR o.campaign_id IS NOT NULL)
      AND (n.person_id, n.campaign_id, n.occurred_at) IS DISTINCT FROM (o.person_id, o.campaign_id, o.occurred_at)$q$;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_deal_campaigns_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $q$
    INSERT INTO analytics_deal_changes (opportunity_id)
    SELECT DISTINCT d.id
    FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    JOIN activities a ON a.campaign_id = n.id JOIN opportunities d ON d.person_id = a.person_id
    WHERE n.channel IS DISTINCT FROM o.channel$q$;
  RETURN NULL;
END $$;
