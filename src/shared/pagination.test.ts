import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../test/databases.ts';
import { createTestApp, type TestApp } from '../test/harness.ts';

// Rows written by one statement share its now() to the microsecond; a cursor kept as a JavaScript
// Date (milliseconds) skipped every such row after the first page on PostgreSQL.
describe.each(databaseKinds)('lists paged through rows of the same microsecond on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let personId: string;

  /** Every item of a list, page by page; fails on a page that repeats an item. */
  async function everyItem(url: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.app.inject({
        method: 'GET',
        url: `${url}${url.includes('?') ? '&' : '?'}limit=50${cursor ? `&cursor=${cursor}` : ''}`,
        headers: admin,
      });
      expect(page.statusCode).toBe(200);
      const body = page.json() as { items: { id: string; cursorKey?: string }[]; nextCursor: string | null };
      expect(body.items.every((item) => item.cursorKey === undefined)).toBe(true);
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    return ids;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
    await t.deps.db.execute(sql`
      INSERT INTO people (email, created_at)
      SELECT 'same' || i || '@instant.dev', clock_timestamp() FROM generate_series(1, 5) i`);
    await t.deps.db.execute(sql`
      INSERT INTO people (email, created_at)
      SELECT 'p' || i || '@instant.dev', timestamptz '2026-11-02 09:00:00.123456+00' FROM generate_series(1, 120) i`);
    const [person] = await t.database.rows<{ id: string }>(
      sql`SELECT id FROM people WHERE email = 'p1@instant.dev'`,
    );
    personId = person!.id;
    await t.deps.db.execute(sql`
      INSERT INTO activities (person_id, type, occurred_at)
      SELECT ${personId}, 'page_view', timestamptz '2026-11-02 09:00:00.654321+00' FROM generate_series(1, 75) i`);
    await t.deps.db.execute(sql`
      INSERT INTO opportunities (name, stage, stage_entered_at, opened_at)
      SELECT 'Deal ' || i, 'discovery', now(), timestamptz '2026-11-02 09:00:00.000999+00'
      FROM generate_series(1, 60) i`);
    await t.deps.db.execute(sql`
      WITH n AS (
        INSERT INTO notifications (dedupe_key, event, subject, text, data, created_at)
        VALUES ('paging', 'lead.assigned', 'A new MQL', 'A new MQL', '{}', now()) RETURNING id)
      INSERT INTO notification_deliveries (notification_id, channel, target, status, created_at)
      SELECT n.id, 'email', 'rep' || i || '@instant.dev', 'skipped', timestamptz '2026-11-02 09:00:00.777777+00'
      FROM n, generate_series(1, 55) i`);
  });
  afterAll(async () => t?.close());

  it('people', async () => {
    expect(await everyItem('/api/people')).toHaveLength(125);
  });

  it("a person's activities", async () => {
    expect(await everyItem(`/api/people/${personId}/activities`)).toHaveLength(75);
  });

  it('opportunities', async () => {
    expect(await everyItem('/api/opportunities')).toHaveLength(60);
  });

  it('the delivery log', async () => {
    expect(await everyItem('/api/notifications/deliveries')).toHaveLength(55);
  });
});
