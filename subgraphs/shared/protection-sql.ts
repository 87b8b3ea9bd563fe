import { sql, type SQL } from 'drizzle-orm';
import { registerDate } from '../../kernel/register-date.js';

/**
 * `markerInForce` in SQL, for the `protection_markers` row named `alias` in the statement: the date is
 * the register's, bound as a parameter (the database session's `current_date` follows its own time zone).
 */
export function markerInForceSql(alias: string, date: string = registerDate()): SQL {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`Not an SQL alias: ${alias}`);
  const m = sql.raw(alias);
  return sql`(${m}.valid_from is null or ${m}.valid_from <= ${date}::date) and (${m}.valid_to is null or ${m}.valid_to > ${date}::date)`;
}
