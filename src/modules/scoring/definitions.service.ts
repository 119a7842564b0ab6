import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import { approversOf } from '../auth/auth.service.ts';
import { diffDefinitions } from './definition.diff.ts';
import { type LeadDefinition, leadDefinitionSchema } from './definition.schema.ts';
import { assertDefinitionUsable } from './definition.validate.ts';
import * as store from './definitions.store.ts';
import { RESCORE_ALL_LEADS } from './rescoring.job.ts';
import { rescoringShare } from './rescoring.progress.ts';

export interface DefinitionDeps {
  db: Db;
  clock: Clock;
}

export interface PublishDeps extends DefinitionDeps {
  jobs: JobQueue;
}

export type DefinitionStatus = 'draft' | 'signed' | 'scheduled' | 'in force' | 'superseded';

export interface DefinitionVersion {
  version: number;
  status: DefinitionStatus;
  rules: LeadDefinition;
  note: string | null;
  createdAt: Date;
  publishedAt: Date | null;
  /** Who published it, by name. */
  publishedBy: string | null;
  effectiveFrom: Date | null;
  signatures: store.DefinitionRow['signatures'];
  missingSignatures: ('marketing' | 'sales')[];
  /** Re-scoring of every lead once this version took effect. */
  rescoring: (NonNullable<store.DefinitionRow['rescoring']> & { share: number }) | null;
}

const TEAMS = ['marketing', 'sales'] as const;
/** How far behind the server's clock a caller's "now" may be. */
const CLOCK_SLACK_MS = 60_000;

function describe(row: store.DefinitionRow, inForce: number | undefined, now: Date): DefinitionVersion {
  const signed = new Set(row.signatures.map((s) => s.team));
  const missingSignatures = TEAMS.filter((team) => !signed.has(team));
  let status: DefinitionStatus = missingSignatures.length === 0 ? 'signed' : 'draft';
  if (row.publishedAt && row.effectiveFrom) {
    if (row.version === inForce) status = 'in force';
    else status = row.effectiveFrom > now ? 'scheduled' : 'superseded';
  }
  return {
    version: row.version,
    status,
    rules: leadDefinitionSchema.parse(row.rules),
    note: row.note,
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
    publishedBy: row.publishedByName,
    effectiveFrom: row.effectiveFrom,
    signatures: row.signatures,
    missingSignatures,
    rescoring: row.rescoring && { ...row.rescoring, share: rescoringShare(row.rescoring) },
  };
}

async function getRow(deps: DefinitionDeps, version: number): Promise<store.DefinitionRow> {
  const row = await store.findDefinition(deps.db, version);
  if (!row) throw new AppError('not_found', `There is no lead definition version ${version}.`);
  return row;
}

export async function getDefinition(deps: DefinitionDeps, version: number): Promise<DefinitionVersion> {
  const now = deps.clock.now();
  const [row, inForce] = await Promise.all([getRow(deps, version), store.findInForce(deps.db, now)]);
  return describe(row, inForce?.version, now);
}

export async function listDefinitions(deps: DefinitionDeps): Promise<DefinitionVersion[]> {
  const now = deps.clock.now();
  const [rows, inForce] = await Promise.all([
    store.listDefinitions(deps.db),
    store.findInForce(deps.db, now),
  ]);
  return rows.map((row) => describe(row, inForce?.version, now));
}

/** The version in force now, or undefined before anything was published. */
export async function definitionInForce(
  deps: DefinitionDeps,
): Promise<{ version: number; rules: LeadDefinition } | undefined> {
  const row = await store.findRulesInForce(deps.db, deps.clock.now());
  if (!row) return undefined;
  // Versions never change once written, so each is parsed once per database and process.
  const parsed = parsedVersions.get(deps.db) ?? new Map<number, LeadDefinition>();
  parsedVersions.set(deps.db, parsed);
  let rules = parsed.get(row.version);
  if (!rules) {
    rules = leadDefinitionSchema.parse(row.rules);
    parsed.set(row.version, rules);
  }
  return { version: row.version, rules };
}

const parsedVersions = new WeakMap<Db, Map<number, LeadDefinition>>();

/** A proposed definition, checked rule by rule; a refused one writes nothing. */
export async function proposeDefinition(
  deps: DefinitionDeps,
  input: { rules: LeadDefinition; note?: string | undefined },
  actor: Principal,
): Promise<DefinitionVersion> {
  assertDefinitionUsable(input.rules);
  const version = await store.insertDraft(deps.db, {
    rules: input.rules,
    note: input.note ?? null,
    createdBy: actor.userId,
  });
  return getDefinition(deps, version);
}

/** The actor signs this exact version for their team; each team signs once. */
export async function signDefinition(
  deps: DefinitionDeps,
  version: number,
  actor: Principal,
): Promise<DefinitionVersion> {
  if (!actor.userId || actor.kind !== 'user') {
    throw new AppError(
      'forbidden',
      'Only a person signed in to Lockstep can sign a lead definition, not an API token.',
    );
  }
  const approvers = await approversOf(deps, actor.team);
  if (!approvers.some((approver) => approver.id === actor.userId)) {
    throw new AppError(
      'forbidden',
      `Only a ${actor.team} approver can sign for the ${actor.team} team (${
        approvers.length > 0 ? approvers.map((approver) => approver.name).join(', ') : 'it has none yet'
      }). An admin chooses approvers on the Team page.`,
      { team: actor.team, approvers: approvers.map((approver) => approver.name) },
    );
  }
  const row = await getRow(deps, version);
  if (row.publishedAt) throw new AppError('duplicate', `Version ${version} is already published.`);
  const recorded = await store.insertSignature(deps.db, { version, team: actor.team, userId: actor.userId });
  if (!recorded) {
    const earlier = row.signatures.find((s) => s.team === actor.team);
    throw new AppError('duplicate', `The ${actor.team} team has already signed version ${version}.`, {
      signature: earlier,
    });
  }
  return getDefinition(deps, version);
}

/** Publishes a version both teams signed; it takes effect at `effectiveFrom` (default: now). */
export async function publishDefinition(
  deps: PublishDeps,
  input: { version: number; effectiveFrom?: Date | undefined },
  actor: Principal,
): Promise<DefinitionVersion> {
  const now = deps.clock.now();
  const current = describe(await getRow(deps, input.version), undefined, now);
  if (current.publishedAt) throw new AppError('duplicate', `Version ${input.version} is already published.`);
  if (current.missingSignatures.length > 0) {
    throw new AppError(
      'definition_not_signed',
      `Version ${input.version} needs a signature from ${current.missingSignatures.join(' and ')} before it can be published.`,
      { missing: current.missingSignatures },
    );
  }
  // A start already past would make the version history say it was in force when it was not.
  if (input.effectiveFrom && input.effectiveFrom.getTime() < now.getTime() - CLOCK_SLACK_MS) {
    throw new AppError(
      'validation_failed',
      `effectiveFrom ${input.effectiveFrom.toISOString()} is in the past: a version takes effect now or later. Leave it out to publish now.`,
      { field: 'effectiveFrom' },
    );
  }
  const effectiveFrom = input.effectiveFrom && input.effectiveFrom > now ? input.effectiveFrom : now;
  await store.markPublished(deps.db, {
    version: input.version,
    publishedBy: actor.userId,
    at: now,
    effectiveFrom,
  });
  // Every lead is re-scored in the background from the moment the version takes effect.
  await deps.jobs.send(
    RESCORE_ALL_LEADS,
    { version: input.version },
    { startAfter: effectiveFrom, singletonKey: `rescore-v${input.version}` },
  );
  return getDefinition(deps, input.version);
}

/** The changes from `against` (default: the version in force) to `version`. */
export async function diffVersions(deps: DefinitionDeps, version: number, against?: number) {
  const base = against ?? (await store.findInForce(deps.db, deps.clock.now()))?.version;
  if (base === undefined)
    throw new AppError('not_found', 'No version is in force to compare with; name one with ?against=.');
  const [before, after] = await Promise.all([getDefinition(deps, base), getDefinition(deps, version)]);
  return { against: base, ...diffDefinitions(before.rules, after.rules) };
}
