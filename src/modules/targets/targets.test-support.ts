// Builds people with stage histories and deals at known dates, so tests know every answer by hand.
import type { Db } from '../../db/client.ts';
import { opportunities, opportunityTransitions } from '../../db/schema.revenue.ts';
import { people, stageTransitions } from '../../db/schema.ts';

export const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

let serial = 0;

/** `count` people created at `created`, moved through `path` ([stage, date] in order); they stay at the last stage. */
export async function addPeople(
  db: Db,
  count: number,
  input: { created: string; path: [string, string][]; ownerId?: string },
): Promise<void> {
  for (let n = 0; n < count; n++) {
    serial += 1;
    const last = input.path.at(-1) ?? ['new', input.created];
    const [person] = await db
      .insert(people)
      .values({
        email: `person${serial}@example.com`,
        firstName: 'Person',
        lastName: String(serial),
        ownerId: input.ownerId ?? null,
        stage: last[0],
        stageEnteredAt: day(last[1]),
        createdAt: day(input.created),
      })
      .returning({ id: people.id });
    const steps: [string, string][] = [['new', input.created], ...input.path];
    await db.insert(stageTransitions).values(
      steps.map(([stage, at], i) => ({
        personId: person!.id,
        fromStage: i === 0 ? null : steps[i - 1]![0],
        toStage: stage,
        occurredAt: day(at),
      })),
    );
  }
}

/** A deal moved through `path` ([stage, date]); closed when its last stage is won or lost. */
export async function addDeal(
  db: Db,
  input: { name: string; amount: number | null; path: [string, string][]; ownerId?: string },
): Promise<void> {
  const [first] = input.path;
  const last = input.path.at(-1)!;
  const closed = last[0] === 'won' || last[0] === 'lost';
  const [deal] = await db
    .insert(opportunities)
    .values({
      name: input.name,
      amount: input.amount,
      ownerId: input.ownerId ?? null,
      stage: last[0],
      stageEnteredAt: day(last[1]),
      openedAt: day(first![1]),
      closedAt: closed ? day(last[1]) : null,
    })
    .returning({ id: opportunities.id });
  await db.insert(opportunityTransitions).values(
    input.path.map(([stage, at], i) => ({
      opportunityId: deal!.id,
      fromStage: i === 0 ? null : input.path[i - 1]![0],
      toStage: stage,
      occurredAt: day(at),
    })),
  );
}
