// Databases for the import tests: PGlite in memory, and a fresh database on the real PostgreSQL.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { type Database, type Db, openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { CsvParser } from './import.csv-parser.ts';

const ADMIN_URL = process.env.LOCKSTEP_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestTarget {
  name: 'pglite' | 'postgres';
  /** Why the target is skipped, when it is. */
  skipped?: string;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** PGlite always; PostgreSQL when reachable (a database named after `label`, dropped by dispose). */
export async function importTestTargets(label: string): Promise<TestTarget[]> {
  let pglite: Database | undefined;
  const targets: TestTarget[] = [
    {
      name: 'pglite',
      async open() {
        pglite = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, `test: ${label}`);
        await migrateDatabase(pglite);
        return pglite;
      },
      async dispose() {
        await pglite?.close();
      },
    },
  ];
  const reachable = await postgresReachable();
  const name = `lockstep_test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  let postgres: Database | undefined;
  targets.push({
    name: 'postgres',
    ...(reachable
      ? {}
      : { skipped: `PostgreSQL is not reachable at ${ADMIN_URL}; PostgreSQL tests skipped` }),
    async open() {
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(ADMIN_URL);
      url.pathname = `/${name}`;
      postgres = await openDatabase({ kind: 'postgres', url: url.toString() }, `test: ${label}`);
      await migrateDatabase(postgres);
      return postgres;
    },
    async dispose() {
      await postgres?.close();
      if (postgres) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
  for (const target of targets) if (target.skipped) console.warn(target.skipped);
  return targets;
}

/** Empties what imports write, between independent cases on one database. */
export async function emptyImportTables(database: Database): Promise<void> {
  await database.withSession((session) =>
    session.query('TRUNCATE stage_transitions, people, accounts, users, import_runs CASCADE'),
  );
}

export async function query<T>(database: Database, text: string, params: unknown[] = []): Promise<T[]> {
  return database.withSession((session) => session.query<T>(text, params));
}

/**
 * Saves a CSV file's rows as an XLSX workbook, typed as a CRM's Excel export types them: whole
 * numbers as numbers, `M/D/YYYY H:mm` as date cells (wall-clock time), the rest as text.
 */
export async function workbookFromCsv(
  csv: string,
  file: string,
  { coverTab, afterTab }: { coverTab?: string; afterTab?: string } = {},
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  // A tab before the export's, holding a note, as a person who sends a workbook on may add.
  if (coverTab)
    workbook.addWorksheet(coverTab).addRow(['Exported from the CRM: the records are on the next tab']);
  const sheet = workbook.addWorksheet('Export');
  for (const { values } of new CsvParser(() => {}).push(`${csv.trimEnd()}\n`)) {
    const row = sheet.addRow(values.map(typedCell));
    values.forEach((value, index) => {
      if (DATE.test(value)) row.getCell(index + 1).numFmt = 'm/d/yyyy h:mm';
    });
  }
  // A tab after it, as a pivot or a chart of the export.
  if (afterTab) workbook.addWorksheet(afterTab).addRow(['Leads by origin']);
  await workbook.xlsx.writeFile(file);
  return file;
}

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;

function typedCell(value: string): string | number | Date {
  if (/^(0|[1-9]\d{0,14})$/.test(value)) return Number(value);
  const date = DATE.exec(value);
  if (!date) return value;
  const [, month, day, year, hour, minute] = date.map(Number) as number[];
  const at = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!));
  // An impossible date (13/45/2025) stays the text it was, as a spreadsheet keeps it.
  return at.getUTCMonth() === month! - 1 && at.getUTCDate() === day! ? at : value;
}

/** A file of two people, one a "Chief Zebra" whom zebraDefinitionInForce makes an MQL by fit alone. */
export const zebraFile = {
  mapping: { entity: 'people', source: 'zoo', columns: { email: 'Email', title: 'Title' } },
  text: 'Email,Title\nzed@zoo.example,Chief Zebra Officer\nintern@zoo.example,Intern\n',
};

/** Puts in force, as of a minute ago, a definition under which a "Chief Zebra" title alone is an MQL. */
export async function zebraDefinitionInForce(db: Db): Promise<void> {
  const rules = {
    fit: {
      rules: [{ id: 'zebra', field: 'person.title', op: 'contains', value: 'Chief Zebra', points: 30 }],
      gradeCutoffs: { A: 30, B: 20, C: 10 },
    },
    engagement: { rules: [], halfLifeDays: null },
    mql: { minGrade: 'A', minEngagement: 0 },
  };
  const since = new Date(Date.now() - 60_000);
  await db.execute(sql`
    INSERT INTO lead_definitions (version, rules, published_at, effective_from)
    VALUES (1, ${JSON.stringify(rules)}::jsonb, ${since}, ${since})`);
}
