import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { OLIST_DIR, olistExpectations } from '../../test/olist.ts';
import { importTestTargets, query } from './import.test-support.ts';
import { importOlist, OLIST_DEALS_FILE, OLIST_MQL_FILE } from './olist.import.ts';

const expected = olistExpectations();
const targets = await importTestTargets('olist');

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(`the Olist import on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => target.dispose());

    it('makes every MQL a person and takes every closed deal to won', async () => {
      expect(expected.mqls).toBe(8000);
      expect(expected.won).toBe(842);
      const report = await importOlist(database, OLIST_DIR);
      expect(report).toMatchObject({
        rowsRead: expected.mqls,
        created: expected.mqls,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        superseded: 0,
        warnings: expected.wonBeforeContact,
        // One mql step per lead; mql→sal→sql→opportunity→won adds four per deal.
        transitionsCreated: expected.mqls + 4 * expected.won,
      });
      expect(expected.wonBeforeContact).toBeGreaterThan(0);
      expect(
        report.problems.every(
          // Both dates written the same way (ISO), whatever the two files write.
          (p) =>
            p.file === OLIST_DEALS_FILE &&
            /^won_date \d{4}-\d{2}-\d{2} is before the lead's first contact \d{4}-\d{2}-\d{2} \(/.test(
              p.reason,
            ),
        ),
      ).toBe(true);

      const [counts] = await query<{ mql: number; won: number; people: number; reps: number }>(
        database,
        `SELECT (SELECT count(DISTINCT person_id) FROM stage_transitions WHERE to_stage = 'mql')::int AS mql,
                (SELECT count(DISTINCT person_id) FROM stage_transitions WHERE to_stage = 'won')::int AS won,
                (SELECT count(*) FROM people WHERE external_id LIKE 'olist:%')::int AS people,
                (SELECT count(*) FROM users WHERE external_id LIKE 'olist:%' AND team = 'sales' AND role = 'sales'
                   AND email IS NULL AND password_hash IS NULL)::int AS reps`,
      );
      expect(counts).toEqual({ mql: 8000, won: 842, people: 8000, reps: expected.sdrs + expected.srs });
      // A deal won before its lead's first contact is won at the first contact: never back in time.
      const [order] = await query<{ backwards: number; atFirstContact: number }>(
        database,
        `SELECT count(*) FILTER (WHERE w.occurred_at < m.occurred_at)::int AS backwards,
                count(*) FILTER (WHERE w.occurred_at = m.occurred_at)::int AS "atFirstContact"
         FROM stage_transitions m JOIN stage_transitions w ON w.person_id = m.person_id AND w.to_stage = 'won'
         WHERE m.to_stage = 'mql'`,
      );
      expect(order).toEqual({ backwards: 0, atFirstContact: expected.wonBeforeContact });
    });

    it('counts MQLs and wins per origin as the files do', async () => {
      const rows = await query<{ source: string | null; mqls: number; won: number }>(
        database,
        `SELECT p.source, count(*)::int AS mqls, count(*) FILTER (WHERE p.stage = 'won')::int AS won
         FROM people p GROUP BY p.source`,
      );
      const actual = new Map(rows.map((row) => [row.source, row]));
      expect(actual.size).toBe(expected.mqlByOrigin.size);
      for (const [origin, mqls] of expected.mqlByOrigin) {
        expect({ origin, mqls: actual.get(origin)?.mqls, won: actual.get(origin)?.won ?? 0 }).toEqual({
          origin,
          mqls,
          won: expected.wonByOrigin.get(origin) ?? 0,
        });
      }
      expect(actual.get('organic_search')).toEqual({ source: 'organic_search', mqls: 2296, won: 271 });
    });

    it('records who qualified and who closed each deal, and keeps deal attributes as text', async () => {
      const deal = expected.firstDeal;
      const steps = await query<{ to_stage: string; actor: string | null; rule: string }>(
        database,
        `SELECT t.to_stage, u.external_id AS actor, t.rule
         FROM stage_transitions t JOIN people p ON p.id = t.person_id LEFT JOIN users u ON u.id = t.actor_user_id
         WHERE p.external_id = $1 ORDER BY t.seq`,
        [`olist:${deal.mql_id}`],
      );
      const sdr = `olist:sdr:${deal.sdr_id}`;
      const sr = `olist:sr:${deal.sr_id}`;
      expect(steps).toEqual([
        { to_stage: 'mql', actor: null, rule: 'import:olist' },
        { to_stage: 'sal', actor: sdr, rule: 'import:olist' },
        { to_stage: 'sql', actor: sdr, rule: 'import:olist' },
        { to_stage: 'opportunity', actor: sr, rule: 'import:olist' },
        { to_stage: 'won', actor: sr, rule: 'import:olist' },
      ]);
      const [person] = await query<{ owner: string; name: string; attributes: Record<string, string> }>(
        database,
        `SELECT u.external_id AS owner, u.name, p.attributes FROM people p JOIN users u ON u.id = p.owner_id
         WHERE p.external_id = $1`,
        [`olist:${deal.mql_id}`],
      );
      expect(person?.owner).toBe(sr);
      expect(person?.name).toBe(`SR ${deal.sr_id!.slice(0, 8)}`);
      expect(person?.attributes).toMatchObject({
        seller_id: deal.seller_id,
        business_segment: deal.business_segment,
      });
      const [mangled] = await query<{ n: number }>(
        database,
        `SELECT count(*)::int AS n FROM people WHERE attributes->>'average_stock' ~ '^[0-9]{2}-[A-Za-z]{3}$|^[A-Za-z]{3}-[0-9]{2}$'`,
      );
      expect(mangled?.n).toBeGreaterThan(0);
    });

    it('makes every closed deal a won opportunity of its lead, owned by the SR, as the deals file says', async () => {
      // Straight from the files: amount = declared_monthly_revenue when above zero, product = segment.
      const read = (file: string) =>
        parse(fs.readFileSync(path.join(OLIST_DIR, file)), { columns: true }) as Record<string, string>[];
      const mqlIds = new Set(read(OLIST_MQL_FILE).map((m) => m.mql_id));
      const deals = read(OLIST_DEALS_FILE).filter((d) => mqlIds.has(d.mql_id));
      const revenue = (d: Record<string, string>) => Number.parseFloat(d.declared_monthly_revenue ?? '');
      const withAmount = deals.filter((d) => revenue(d) > 0);
      const total = withAmount.reduce((sum, d) => sum + revenue(d), 0);
      const segments = new Set(deals.map((d) => d.business_segment || null));
      const [row] = await query<Record<string, number | string>>(
        database,
        `SELECT count(*)::int AS deals, count(o.amount)::int AS "withAmount", coalesce(sum(o.amount), 0)::float8 AS total,
                count(DISTINCT o.product)::int AS products,
                count(*) FILTER (WHERE o.stage = 'won' AND o.closed_at IS NOT NULL AND o.currency = 'BRL')::int AS won,
                count(*) FILTER (WHERE p.external_id = 'olist:' || substr(o.external_id, 12) AND p.stage = 'won')::int AS linked,
                count(*) FILTER (WHERE u.external_id LIKE 'olist:sr:%' AND u.id = p.owner_id)::int AS "ownedBySr",
                count(*) FILTER (WHERE o.opened_at = p.created_at)::int AS "openedAtFirstContact"
         FROM opportunities o JOIN people p ON p.id = o.person_id LEFT JOIN users u ON u.id = o.owner_id`,
      );
      expect(row).toEqual({
        deals: deals.length,
        withAmount: withAmount.length,
        total: Math.round(total * 100) / 100,
        products: [...segments].filter((s) => s !== null).length,
        won: deals.length,
        linked: deals.length,
        ownedBySr: deals.length,
        openedAtFirstContact: deals.length,
      });
      expect(withAmount.length).toBeGreaterThan(0);
      expect(withAmount.length).toBeLessThan(deals.length);
      // The lead journey already ended at won: the deals add no lead moves.
      const [moves] = await query<{ n: number }>(
        database,
        `SELECT count(*)::int AS n FROM stage_transitions WHERE rule = 'opportunity'`,
      );
      expect(moves?.n).toBe(0);
    });

    it('keeps every stored stage equal to the last transition', async () => {
      const [row] = await query<{ n: number }>(
        database,
        `SELECT count(*)::int AS n FROM people p
         WHERE p.stage IS DISTINCT FROM (SELECT t.to_stage FROM stage_transitions t WHERE t.person_id = p.id ORDER BY t.seq DESC LIMIT 1)
            OR p.stage_entered_at IS DISTINCT FROM (SELECT t.occurred_at FROM stage_transitions t WHERE t.person_id = p.id ORDER BY t.seq DESC LIMIT 1)`,
      );
      expect(row?.n).toBe(0);
    });

    it('changes nothing when imported again', async () => {
      const before = await query<{ n: number }>(database, 'SELECT count(*)::int AS n FROM stage_transitions');
      const report = await importOlist(database, OLIST_DIR);
      expect(report).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 8000,
        rejected: 0,
        transitionsCreated: 0,
      });
      expect(report.opportunities).toMatchObject({ created: 0, updated: 0, unchanged: expected.won });
      const after = await query<{ n: number }>(database, 'SELECT count(*)::int AS n FROM stage_transitions');
      expect(after).toEqual(before);
      const [runs] = await query<{ n: number; read: number }>(
        database,
        `SELECT count(*)::int AS n, min(rows_read)::int AS read FROM import_runs WHERE kind = 'olist' AND finished_at IS NOT NULL`,
      );
      expect(runs).toEqual({ n: 2, read: 8000 });
    });

    it('rejects a deal whose lead is not in the MQL file, with its line', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olist-'));
      try {
        fs.writeFileSync(
          path.join(dir, OLIST_MQL_FILE),
          'mql_id,first_contact_date,landing_page_id,origin\nm1,01-02-2018,lp1,social\nm2,31-02-2018,lp1,\nm3,05-03-2018,lp2,\n',
        );
        const header = fs.readFileSync(path.join(OLIST_DIR, OLIST_DEALS_FILE), 'utf8').split('\n')[0];
        fs.writeFileSync(
          path.join(dir, OLIST_DEALS_FILE),
          `${header}\nm1,s1,sdr1,sr1,10-02-2018 10:00,pet,online_medium,"cat, wolf",TRUE,,May-20,reseller,,0\n` +
            'missing,s2,sdr1,sr1,11-02-2018 10:00,pet,online_medium,,,,,reseller,,0\n',
        );
        const report = await importOlist(database, dir);
        expect(report).toMatchObject({ rowsRead: 3, created: 2, rejected: 2, warnings: 0 });
        expect(report.problems).toEqual([
          {
            file: OLIST_MQL_FILE,
            line: 3,
            severity: 'error',
            reason: 'first_contact_date "31-02-2018" is not a date (expected DD-MM-YYYY)',
          },
          {
            file: OLIST_DEALS_FILE,
            line: 3,
            severity: 'error',
            reason: `mql_id "missing" is not in ${OLIST_MQL_FILE}`,
          },
        ]);
        const [m1] = await query<{ stage: string; source: string; attributes: Record<string, string> }>(
          database,
          `SELECT stage, source, attributes FROM people WHERE external_id = 'olist:m1'`,
        );
        expect(m1).toEqual({
          stage: 'won',
          source: 'social',
          attributes: {
            seller_id: 's1',
            business_segment: 'pet',
            lead_type: 'online_medium',
            lead_behaviour_profile: 'cat, wolf',
            has_company: 'TRUE',
            average_stock: 'May-20',
            business_type: 'reseller',
            declared_monthly_revenue: '0',
          },
        });
        const [m3] = await query<{ source: string | null }>(
          database,
          `SELECT source FROM people WHERE external_id = 'olist:m3'`,
        );
        expect(m3?.source).toBeNull();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
