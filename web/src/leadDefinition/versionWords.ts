// When a version is, was or will be the lead definition: read from the list of every version, or chosen
// by the admin who publishes it.
import type { DefinitionVersion } from '../api/types.ts';
import { formatDate, formatDateTime, fromLocalInput, toLocalInput } from '../format.ts';

type Published = DefinitionVersion & { publishedAt: string; effectiveFrom: string };

const isPublished = (version: DefinitionVersion): version is Published =>
  version.publishedAt !== null && version.effectiveFrom !== null;

/**
 * Whether `other` outranks `version` once both have started: as the API picks the version in force, the
 * latest start wins, and of two with the same start, the higher version.
 */
function outranks(other: Published, version: Published): boolean {
  const [start, otherStart] = [Date.parse(version.effectiveFrom), Date.parse(other.effectiveFrom)];
  return otherStart > start || (otherStart === start && other.version > version.version);
}

/** When the version stopped being in force: the earliest start of the versions that outrank it. */
function replacedAt(version: Published, versions: DefinitionVersion[]): number | undefined {
  const starts = versions
    .filter(isPublished)
    .filter((other) => outranks(other, version))
    .map((other) => Date.parse(other.effectiveFrom));
  return starts.length === 0 ? undefined : Math.min(...starts);
}

const sameDay = (a: string, b: string) => formatDate(a) === formatDate(b);

/**
 * "takes effect Dec 1, 2026, 9:00 AM", "in force since Oct 14, 2026", "in force Oct 14, 2026 – Nov 20, 2026",
 * "never in force"; undefined for a version not published.
 */
export function versionPeriod(version: DefinitionVersion, versions: DefinitionVersion[]): string | undefined {
  if (!isPublished(version)) return undefined;
  const from = version.effectiveFrom;
  if (version.status === 'scheduled') return `takes effect ${formatDateTime(from)}`;
  if (version.status === 'in force') return `in force since ${formatDate(from)}`;
  const replaced = replacedAt(version, versions);
  if (replaced === undefined) return `took effect ${formatDate(from)}`;
  // Replaced at the moment it started: another version with the same start outranks it.
  if (replaced <= Date.parse(from)) return 'never in force';
  const until = new Date(replaced).toISOString();
  // Within one day the dates alone would read "Nov 20 – Nov 20": the times say how long.
  const format = sameDay(from, until) ? formatDateTime : formatDate;
  return `in force ${format(from)} – ${format(until)}`;
}

/** "published by Ada Admin"; undefined before publishing, or when the publisher is no longer a user. */
export function publishedByText(version: DefinitionVersion): string | undefined {
  return version.publishedBy ? `published by ${version.publishedBy}` : undefined;
}

/** Tomorrow at 9:00 in the viewer's time zone, as a `datetime-local` value: the time a later publish starts from. */
export function tomorrowMorning(now: Date = new Date()): string {
  const morning = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0);
  return toLocalInput(morning.toISOString());
}

/** The instant a `datetime-local` value names, or why it cannot be when a version takes effect. */
export function laterStart(
  value: string,
  now: Date = new Date(),
): { effectiveFrom: string } | { problem: string } {
  const effectiveFrom = fromLocalInput(value);
  if (!effectiveFrom) return { problem: 'Choose the day and time it takes effect.' };
  if (Date.parse(effectiveFrom) <= now.getTime())
    return { problem: 'That time has passed: choose a later one, or publish now.' };
  return { effectiveFrom };
}

/** The published version in force at `at`, as the API picks it: the latest start not after it, then the highest. */
function inForceAt(versions: DefinitionVersion[], at: number): Published | undefined {
  return versions
    .filter(isPublished)
    .filter((version) => Date.parse(version.effectiveFrom) <= at)
    .reduce<Published | undefined>(
      (best, version) => (best && !outranks(version, best) ? best : version),
      undefined,
    );
}

/**
 * What publishing does, before the admin confirms: "Version 6 replaces version 4 as the lead definition now,
 * and every lead is re-scored by it." or "… on Dec 1, 2026, 9:00 AM; until then version 4 stays in force. …",
 * and, when a version is scheduled after that, that it still takes over then.
 */
export function publishSentence(
  version: number,
  versions: DefinitionVersion[],
  effectiveFrom?: string,
  now: Date = new Date(),
): string {
  const start = effectiveFrom ? Date.parse(effectiveFrom) : now.getTime();
  const before = inForceAt(versions, start);
  const becomes = before
    ? `Version ${version} replaces version ${before.version} as the lead definition`
    : `Version ${version} becomes the lead definition`;
  const when = effectiveFrom
    ? `${becomes} on ${formatDateTime(effectiveFrom)}; until then ${before ? `version ${before.version} stays in force` : 'no lead becomes an MQL by score'}. Every lead is re-scored by it when it takes effect.`
    : `${becomes} now, and every lead is re-scored by it.`;
  const [next] = versions
    .filter(isPublished)
    .filter((other) => Date.parse(other.effectiveFrom) > start)
    .sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
  if (!next) return when;
  return `${when} Version ${next.version} is scheduled after it and still takes over on ${formatDateTime(next.effectiveFrom)}.`;
}
