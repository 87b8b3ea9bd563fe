import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { inSpan } from '../../kernel/tracing.js';

/** Helpers for DataLoader batch functions: results must come back in the order of the keys. */

/** Orders `rows` to match `keys` (DataLoader's contract); missing keys become null. */
export function byKey<K, R>(keys: readonly K[], rows: R[], keyOf: (r: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const r of rows) map.set(keyOf(r), r);
  return keys.map((k) => map.get(k) ?? null);
}

/** Groups `rows` per key, in `keys` order; keys without rows get []. */
export function groupBy<K, R>(keys: readonly K[], rows: R[], keyOf: (r: R) => K): R[][] {
  const map = new Map<K, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/**
 * A subgraph's hot statements, built once per database and reused: drizzle builds a query's SQL text
 * anew every time it runs, and in the benchmark's profile that cost the subgraphs more CPU than
 * anything else. Build with `db.select(…).prepare(name)` and `anyOf` for the keys.
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statements = built.get(db);
    if (!statements) built.set(db, (statements = build(db)));
    return statements;
  };
}

/**
 * `column = any(<keys>)` with the keys as ONE comma-joined text parameter `name`, so one prepared
 * statement serves any number of keys on both drivers. Keys are ids or canonical identifiers: never a comma.
 */
export function anyOf(column: AnyColumn, name: string, type: 'uuid' | 'text'): SQL {
  return sql`${column} = any(string_to_array(${sql.placeholder(name)}::text, ',')::${sql.raw(type)}[])`;
}

/** The value for an `anyOf` placeholder. */
export function keyList(keys: readonly string[]): string {
  return keys.join(',');
}

/**
 * A DataLoader batch function inside a span `dataloader <name>` (README "Tracing") that counts its keys,
 * never shows them (they are person ids and identifiers). With tracing off, `load` itself.
 */
export function traced<K, V>(
  name: string,
  load: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): (keys: readonly K[]) => Promise<readonly (V | Error)[]> {
  return (keys) => inSpan(`dataloader ${name}`, { attributes: { 'folkreg.loader.keys': keys.length } }, () => load(keys));
}
