/**
 * Renders the reference-data migration `db/migrations/0016_municipalities_all.sql` from
 * `kernel/municipalities.ts`, the single source of the list.
 *
 *   tsx db/seed/municipalities-sql.ts          rewrite the migration file
 *   tsx db/seed/municipalities-sql.ts --check  exit 1 if the file is out of date
 *
 * An applied migration never runs again: 0001 (the first 93 codes) shipped and is frozen; 0016 adds the
 * `kind` column and upserts every municipality and CPR special code. Once 0016 has shipped, a change to the
 * list goes into a new custom migration (`drizzle-kit generate --custom`) rather than into this one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MUNICIPALITIES } from '../../kernel/municipalities.js';

export const MUNICIPALITIES_MIGRATION = fileURLToPath(new URL('../migrations/0016_municipalities_all.sql', import.meta.url));

function literal(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
}

/** The migration's SQL text. */
export function renderMunicipalitiesSql(): string {
  const rows = MUNICIPALITIES.map((m) => `  (${[m.code, m.country, m.name, m.countyCode, m.kind].map(literal).join(', ')})`);
  return [
    '-- Reference data: every municipality of Sweden (kommunkod, SCB 2025: 290) and Denmark (kommunekode, since',
    "-- 2007: 98), and CPR's special codes (Greenland); sources in kernel/municipality-codes.ts.",
    '-- Generated from kernel/municipalities.ts by db/seed/municipalities-sql.ts; do not edit by hand.',
    `ALTER TABLE "municipalities" ADD COLUMN "kind" text DEFAULT 'MUNICIPALITY' NOT NULL;--> statement-breakpoint`,
    'INSERT INTO "municipalities" ("code", "country", "name", "county_code", "kind") VALUES',
    rows.join(',\n'),
    'ON CONFLICT ("country", "code") DO UPDATE SET "name" = excluded."name", "county_code" = excluded."county_code", "kind" = excluded."kind";',
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const expected = renderMunicipalitiesSql();
  if (process.argv.includes('--check')) {
    const actual = readFileSync(MUNICIPALITIES_MIGRATION, 'utf8');
    if (actual !== expected) {
      console.error(`${MUNICIPALITIES_MIGRATION} is out of date: run tsx db/seed/municipalities-sql.ts`);
      process.exit(1);
    }
    console.log('Municipalities migration is up to date.');
  } else {
    writeFileSync(MUNICIPALITIES_MIGRATION, expected);
    console.log(`Wrote ${MUNICIPALITIES.length} municipalities to ${MUNICIPALITIES_MIGRATION}`);
  }
}
