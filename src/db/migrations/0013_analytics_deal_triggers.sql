-- Custom SQL migration file, put your code below! --
-- Deals whose pipeline numbers or attribution credits may have changed: the deal pre-aggregates of
-- src/modules/reports (deals.rollup.ts) recount these deals. Statement triggers: one insert per
-- statement. A deal changes with its own row; with its person's source, campaign, segment or creation
-- time; with its account's industry; with its person's campaign touches (activities, a campaign's
-- channel) and stage history (the MQL touch of W-shaped).
CREATE FUNCTION analytics_deals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id) SELECT n.id FROM analytics_new n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT n.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id
  WHERE (n.stage, n.amount, n.owner_id, n.product, n.account_id, n.person_id, n.opened_at, n.closed_at,
         n.attributes->>'business_segment')
        IS DISTINCT FROM
        (o.stage, o.amount, o.owner_id, o.product, o.account_id, o.person_id, o.opened_at, o.closed_at,
         o.attributes->>'business_segment');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id) SELECT o.id FROM analytics_old o;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_people_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT d.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id JOIN opportunities d ON d.person_id = n.id
  WHERE (n.source, n.campaign_id, n.created_at, n.attributes->>'business_segment')
        IS DISTINCT FROM (o.source, o.campaign_id, o.created_at, o.attributes->>'business_segment');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_accounts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT d.id FROM analytics_new n JOIN analytics_old o ON o.id = n.id JOIN opportunities d ON d.account_id = n.id
  WHERE n.industry IS DISTINCT FROM o.industry;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_touches_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT DISTINCT d.id FROM analytics_new n JOIN opportunities d ON d.person_id = n.person_id
  WHERE n.campaign_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_transitions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT DISTINCT d.id FROM analytics_new n JOIN opportunities d ON d.person_id = n.person_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_touches_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT DISTINCT d.id FROM analytics_old o JOIN opportunities d ON d.person_id = o.person_id
  WHERE o.campaign_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_touches_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT DISTINCT d.id
  FROM analytics_new n JOIN analytics_old o ON o.id = n.id
  CROSS JOIN LATERAL (VALUES (n.person_id), (o.person_id)) x(person_id)
  JOIN opportunities d ON d.person_id = x.person_id
  WHERE (n.campaign_id IS NOT NULL OR o.campaign_id IS NOT NULL)
    AND (n.person_id, n.campaign_id, n.occurred_at) IS DISTINCT FROM (o.person_id, o.campaign_id, o.occurred_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION analytics_deal_campaigns_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_deal_changes (opportunity_id)
  SELECT DISTINCT d.id
  FROM analytics_new n JOIN analytics_old o ON o.id = n.id
  JOIN activities a ON a.campaign_id = n.id JOIN opportunities d ON d.person_id = a.person_id
  WHERE n.channel IS DISTINCT FROM o.channel;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER analytics_deals_inserted AFTER INSERT ON opportunities
  REFERENCING NEW TABLE AS analytics_new FOR EACH STATEMENT EXECUTE FUNCTION analytics_deals_inserted();
--> statement-breakpoint
CREATE TRIGGER analytics_deals_updated AFTER UPDATE ON opportunities
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_deals_updated();
--> statement-breakpoint
CREATE TRIGGER analytics_deals_deleted AFTER DELETE ON opportunities
  REFERENCING OLD TABLE AS analytics_old FOR EACH STATEMENT EXECUTE FUNCTION analytics_deals_deleted();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_people_updated AFTER UPDATE ON people
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_people_updated();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_accounts_updated AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_accounts_updated();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_activities_added AFTER INSERT ON activities
  REFERENCING NEW TABLE AS analytics_new FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_touches_added();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_activities_updated AFTER UPDATE ON activities
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_touches_updated();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_activities_deleted AFTER DELETE ON activities
  REFERENCING OLD TABLE AS analytics_old FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_touches_removed();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_transitions_added AFTER INSERT ON stage_transitions
  REFERENCING NEW TABLE AS analytics_new FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_transitions_added();
--> statement-breakpoint
CREATE TRIGGER analytics_deal_campaigns_updated AFTER UPDATE ON campaigns
  REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_deal_campaigns_updated();
