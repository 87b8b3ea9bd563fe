/**
 * Renders the reference-data migration `db/migrations/0001_municipalities.sql` from
 * `kernel/municipalities.ts`, the single source of the list.
 *
 *   tsx db/seed/municipalities-sql.ts          rewrite the migration file
 *   tsx db/seed/municipalities-sql.ts --check  exit 1 if the file is out of date
 *
 * An applied migration never runs again: once 0001 has shipped, add new municipalities in a new
 * custom migration (`drizzle-kit generate --custom`) rather than by editing this one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MUNICIPALITIES } from '../../kernel/municipalities.js';

export const MUNICIPALITIES_MIGRATION = fileURLToPath(new URL('../migrations/0001_municipalities.sql', import.meta.url));

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The migration's SQL text. */
export function renderMunicipalitiesSql(): string {
  const rows = MUNICIPALITIES.map((m) => `  (${[m.code, m.country, m.name, m.countyCode].map(literal).join(', ')})`);
  return [
    '-- Reference data: municipality codes of Sweden (kommunkod) and Denmark (kommunekode).',
    '-- Generated from kernel/municipalities.ts by db/seed/municipalities-sql.ts; do not edit by hand.',
    'INSERT INTO "municipalities" ("code", "country", "name", "county_code") VALUES',
    rows.join(',\n'),
    'ON CONFLICT ("code") DO NOTHING;',
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
