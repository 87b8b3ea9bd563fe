import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { appendChangeEvents, readChangeEvents, type ChangeEventRow, type EventPosition } from '../../db/outbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The outbox's promise: a reader following the cursor gets every committed event exactly once and never
 * a rolled-back one, even when transactions commit in another order than they started (a plain
 * `bigserial` cursor skips the late committers' events).
 *
 * On Postgres (DATABASE_URL, as in CI) the writers really are concurrent: each holds its own connection
 * with an open transaction, and they commit in REVERSE order of their transaction ids, with the
 * reader draining the log after every single commit. On PGlite there is one backend and statements are
 * serialised, so a second transaction cannot begin while one is open: there the writers commit in the
 * order they start, and this test only shows exactly-once with rollbacks interleaved with reads — the
 * out-of-order part is proven by the Postgres run alone.
 */

const WRITERS = 12;
const ROLLED_BACK = new Set([1, 6, 10]);

let database: TestDatabase;
let writers: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  // Its own pool on a server, so every writer holds a connection of its own beside the reader's.
  writers = database.url ? await openDatabase({ url: database.url, maxConnections: WRITERS + 2 }) : database;
});

afterAll(async () => {
  if (writers && writers !== database) await writers.close();
  await database?.dispose();
});

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((ok) => (resolve = ok));
  return { promise, resolve };
}

/** Follows the cursor like a subscriber: small pages, position kept between calls. */
class Reader {
  position: EventPosition | null = null;
  seen: ChangeEventRow[] = [];
  /** Starts at the end of what the log holds already (earlier tests, the template). */
  async skipToEnd(): Promise<void> {
    await this.drain();
    this.seen = [];
  }
  async drain(): Promise<ChangeEventRow[]> {
    const fresh: ChangeEventRow[] = [];
    for (;;) {
      const page = await readChangeEvents(database.db, this.position, 3);
      if (page.length === 0) return fresh;
      fresh.push(...page);
      this.seen.push(...page);
      const last = page.at(-1)!;
      this.position = { txId: last.txId, id: last.id };
    }
  }
}

describe('change-event outbox under concurrent writers', () => {
  it(`delivers every committed event exactly once when ${WRITERS} transactions commit out of order`, async () => {
    const outOfOrder = database.driver === 'postgres';
    const reader = new Reader();
    await reader.skipToEnd();

    const phase1 = Array.from({ length: WRITERS }, () => deferred());
    const phase2Go = Array.from({ length: WRITERS }, () => deferred());
    const phase2Done = Array.from({ length: WRITERS }, () => deferred());
    const commitGo = Array.from({ length: WRITERS }, () => deferred());

    const run = (i: number) =>
      writers.db
        .transaction(async (tx) => {
          // Two appends per transaction at different moments, so ids of different transactions interleave.
          await appendChangeEvents(tx, [{ type: 'MOVE', details: { writer: i, step: 1 } }]);
          phase1[i]!.resolve();
          await phase2Go[i]!.promise;
          await appendChangeEvents(tx, [
            { type: 'NAME_CHANGE', details: { writer: i, step: 2 } },
            { type: 'DEATH', details: { writer: i, step: 3 } },
          ]);
          phase2Done[i]!.resolve();
          await commitGo[i]!.promise;
          if (ROLLED_BACK.has(i)) throw new RolledBack();
        })
        .catch((err) => {
          if (!(err instanceof RolledBack)) throw err;
        });

    const order = Array.from({ length: WRITERS }, (_, i) => i);
    const commitOrder = outOfOrder ? [...order].reverse() : order;
    const readsWhileOpen: ChangeEventRow[][] = [];
    const done: Promise<void>[] = [];

    if (outOfOrder) {
      // Start in order (transaction ids ascend with i), second appends in reverse, commits in reverse.
      for (const i of order) {
        done[i] = run(i);
        await phase1[i]!.promise;
      }
      for (const i of [...order].reverse()) {
        phase2Go[i]!.resolve();
        await phase2Done[i]!.promise;
      }
      for (const i of commitOrder) {
        commitGo[i]!.resolve();
        await done[i];
        readsWhileOpen.push(await reader.drain());
      }
    } else {
      for (const i of order) {
        done[i] = run(i);
        phase2Go[i]!.resolve();
        commitGo[i]!.resolve();
        await done[i];
        readsWhileOpen.push(await reader.drain());
      }
    }
    await reader.drain();

    const writersSeen = reader.seen.map((e) => (e.details as { writer: number }).writer);
    const committed = order.filter((i) => !ROLLED_BACK.has(i));
    // Exactly once: three events per committed writer, none of a rolled-back one, no duplicates.
    expect(new Set(reader.seen.map((e) => e.id)).size).toBe(reader.seen.length);
    expect(reader.seen).toHaveLength(committed.length * 3);
    expect([...new Set(writersSeen)].sort((a, b) => a - b)).toEqual(committed);
    for (const i of committed) {
      expect(
        reader.seen
          .filter((e) => (e.details as { writer: number }).writer === i)
          .map((e) => (e.details as { step: number }).step)
          .sort(),
      ).toEqual([1, 2, 3]);
    }
    // Log order is (transaction id, event id): each writer's events are contiguous.
    expect(writersSeen).toEqual([...writersSeen].sort((a, b) => a - b));

    if (outOfOrder) {
      // While writer 0 (the oldest transaction) was still open, nothing after it may be handed out:
      // handing out the later commits would move the cursor past writer 0's events for good.
      expect(readsWhileOpen.slice(0, -1).every((batch) => batch.length === 0)).toBe(true);
      expect(readsWhileOpen.at(-1)).toHaveLength(committed.length * 3);
    } else {
      expect(readsWhileOpen.map((batch) => batch.length)).toEqual(order.map((i) => (ROLLED_BACK.has(i) ? 0 : 3)));
    }
  });

  it('a reader polling continuously while writers commit out of order still sees each event once', async () => {
    const reader = new Reader();
    await reader.skipToEnd();
    let writing = true;
    const following = (async () => {
      while (writing) {
        await reader.drain();
        await new Promise((ok) => setImmediate(ok));
      }
    })();
    const gates = Array.from({ length: WRITERS }, () => deferred());
    const opened = Array.from({ length: WRITERS }, () => deferred());
    const outOfOrder = database.driver === 'postgres';
    const run = (i: number) =>
      writers.db
        .transaction(async (tx) => {
          await appendChangeEvents(tx, [{ type: 'MOVE', details: { writer: i, step: 1 } }]);
          opened[i]!.resolve();
          await gates[i]!.promise;
          if (ROLLED_BACK.has(i)) throw new RolledBack();
        })
        .catch((err) => {
          if (!(err instanceof RolledBack)) throw err;
        });
    const done: Promise<void>[] = [];
    for (let i = 0; i < WRITERS; i++) {
      done[i] = run(i);
      if (!outOfOrder) gates[i]!.resolve();
      await opened[i]!.promise;
    }
    // Interleaved commit order: odd writers from the back, then even ones from the front.
    const commitOrder = [
      ...Array.from({ length: WRITERS }, (_, i) => i)
        .filter((i) => i % 2)
        .reverse(),
      ...Array.from({ length: WRITERS }, (_, i) => i).filter((i) => i % 2 === 0),
    ];
    for (const i of commitOrder) {
      gates[i]!.resolve();
      await done[i];
    }
    writing = false;
    await following;
    await reader.drain();
    const seen = reader.seen.map((e) => (e.details as { writer: number }).writer);
    expect(seen).toEqual(Array.from({ length: WRITERS }, (_, i) => i).filter((i) => !ROLLED_BACK.has(i)));
  });
});

class RolledBack extends Error {}
