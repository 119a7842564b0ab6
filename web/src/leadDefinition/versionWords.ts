// When a published version is, was or will be the lead definition, read from the list of every version.
import type { DefinitionVersion } from '../api/types.ts';
import { formatDate, formatDateTime } from '../format.ts';

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
