// A small, hand-built workspace whose every report answer is worked out by hand in reports.test.ts.
import type { Database } from '../../db/client.ts';

export interface KnownWorkspace {
  users: { ann: string; bob: string; mia: string };
  campaigns: { webinar: string; ads: string; newsletter: string };
  people: Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6', string>;
}

const day = (date: string) => `${date}T00:00:00Z`;

/**
 * Six leads, five deals, campaign touches (see reports.test.ts for the worked answers):
 * p1 web/Webinar/Ann/retail   new 01-05 → mql 01-10 → sal 01-12 → sql 01-20 → opportunity 02-01 → won 02-15
 * p2 web/Webinar/Ann/software new 01-20 → mql 01-25 → sal 01-26 → sql 03-10 → opportunity 03-20 → lost 04-01
 * p3 ads/Ads/Bob/retail       new 02-03 → mql 02-04 → disqualified 02-10
 * p4 ads/Ads/Bob/pet (attr)   new 02-10 → mql 02-11 → sal 02-12 → sql 02-14 → opportunity 02-20 → won 05-01
 * p5 —                        new 03-01
 * p6 web/Webinar/Ann/software new 03-02 → mql 03-05
 */
export async function buildKnownWorkspace(database: Database): Promise<KnownWorkspace> {
  return database.withSession(async (s) => {
    const one = async (text: string, params: unknown[]) => {
      const [row] = await s.query<{ id: string }>(`${text} RETURNING id`, params);
      return row!.id;
    };
    const user = (name: string, team: string) =>
      one(`INSERT INTO users (name, team, role) VALUES ($1, $2, $3)`, [
        name,
        team,
        team === 'sales' ? 'sales' : 'marketing',
      ]);
    const users = {
      ann: await user('Ann Rep', 'sales'),
      bob: await user('Bob Rep', 'sales'),
      mia: await user('Mia Marketer', 'marketing'),
    };
    const campaign = (name: string, channel: string, cost: number | null) =>
      one(`INSERT INTO campaigns (name, channel, cost) VALUES ($1, $2, $3)`, [name, channel, cost]);
    const campaigns = {
      webinar: await campaign('Webinar', 'event', 1000),
      ads: await campaign('Ads', 'paid_search', 600),
      newsletter: await campaign('Newsletter', 'email', null),
    };
    const account = (name: string, industry: string) =>
      one(`INSERT INTO accounts (name, industry) VALUES ($1, $2)`, [name, industry]);
    const retail = await account('Shop Co', 'retail');
    const software = await account('Soft Co', 'software');
    const person = async (
      key: string,
      created: string,
      source: string | null,
      campaignId: string | null,
      owner: string | null,
      accountId: string | null,
      path: [string, string][],
      attributes: Record<string, string> = {},
    ) => {
      const stage = path.at(-1)?.[0] ?? 'new';
      const id = await one(
        `INSERT INTO people (email, source, campaign_id, owner_id, account_id, attributes, created_at, stage, stage_entered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          `${key}@known.dev`,
          source,
          campaignId,
          owner,
          accountId,
          JSON.stringify(attributes),
          day(created),
          stage,
          day(path.at(-1)?.[1] ?? created),
        ],
      );
      let from: string | null = null;
      for (const [to, at] of [['new', created] as [string, string], ...path]) {
        await s.query(
          'INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at) VALUES ($1, $2, $3, $4)',
          [id, from, to, day(at)],
        );
        from = to;
      }
      return id;
    };
    const { webinar, ads, newsletter } = campaigns;
    const people = {
      p1: await person('p1', '2026-01-05', 'web', webinar, users.ann, retail, [
        ['mql', '2026-01-10'],
        ['sal', '2026-01-12'],
        ['sql', '2026-01-20'],
        ['opportunity', '2026-02-01'],
        ['won', '2026-02-15'],
      ]),
      p2: await person('p2', '2026-01-20', 'web', webinar, users.ann, software, [
        ['mql', '2026-01-25'],
        ['sal', '2026-01-26'],
        ['sql', '2026-03-10'],
        ['opportunity', '2026-03-20'],
        ['lost', '2026-04-01'],
      ]),
      p3: await person('p3', '2026-02-03', 'ads', ads, users.bob, retail, [
        ['mql', '2026-02-04'],
        ['disqualified', '2026-02-10'],
      ]),
      p4: await person(
        'p4',
        '2026-02-10',
        'ads',
        ads,
        users.bob,
        null,
        [
          ['mql', '2026-02-11'],
          ['sal', '2026-02-12'],
          ['sql', '2026-02-14'],
          ['opportunity', '2026-02-20'],
          ['won', '2026-05-01'],
        ],
        { business_segment: 'pet' },
      ),
      p5: await person('p5', '2026-03-01', null, null, null, null, []),
      p6: await person('p6', '2026-03-02', 'web', webinar, users.ann, software, [['mql', '2026-03-05']]),
    };
    const activity = (personId: string, at: string, campaignId: string | null) =>
      s.query('INSERT INTO activities (person_id, type, occurred_at, campaign_id) VALUES ($1, $2, $3, $4)', [
        personId,
        'email_click',
        at,
        campaignId,
      ]);
    await activity(people.p1, day('2026-01-08'), newsletter);
    await activity(people.p1, day('2026-01-09'), null); // not a campaign touch
    await activity(people.p1, day('2026-01-25'), ads);
    await activity(people.p1, day('2026-02-10'), newsletter);
    await activity(people.p1, day('2026-03-01'), ads); // after the deal closed: not a touch
    await activity(people.p4, day('2026-02-11'), ads); // at the MQL moment: the MQL touch
    await activity(people.p4, day('2026-04-01'), webinar);
    const deal = (
      name: string,
      personId: string | null,
      owner: string,
      accountId: string | null,
      amount: number,
      product: string,
      stage: string,
      opened: string,
      closed: string | null,
    ) =>
      s.query(
        `INSERT INTO opportunities (name, person_id, owner_id, account_id, amount, product, stage, stage_entered_at, opened_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          name,
          personId,
          owner,
          accountId,
          amount,
          product,
          stage,
          day(closed ?? opened),
          day(opened),
          closed ? day(closed) : null,
        ],
      );
    await deal('D1', people.p1, users.ann, retail, 1000, 'Pro', 'won', '2026-02-01', '2026-02-15');
    await deal('D2', people.p2, users.ann, software, 500, 'Basic', 'lost', '2026-03-20', '2026-04-01');
    await deal('D3', people.p4, users.bob, null, 3000, 'Pro', 'won', '2026-02-20', '2026-05-01');
    await deal('D4', null, users.bob, software, 800, 'Basic', 'proposal', '2026-04-10', null);
    await deal('D5', people.p6, users.ann, software, 200, 'Pro', 'won', '2026-03-10', '2026-03-20');
    return { users, campaigns, people };
  });
}
