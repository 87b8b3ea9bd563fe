import { setTimeout as delay } from 'node:timers/promises';
import { CHANGE_EVENT_TYPES, commitSignal, comparePositions, readChangeEvents, readHead, type ChangeEventRow, type EventPosition } from '../../db/outbox.js';
import { matchesDeliveryFilter, type ChangeEventFilter } from './delivery-filter.js';
import { typedDetails, type TypedDetails } from './details.js';
import { userInputError } from '../shared/errors.js';
import type { SubgraphContext } from '../shared/server.js';

type Ctx = SubgraphContext<unknown>;

/** Like CPR BeskedHent and PU: at most 500 events a page. */
export const MAX_EVENT_PAGE = 500;
const CURSOR_SCOPE = 'change-events';
/** Longest a head long-poll waits. @default 30 // seconds */
export const MAX_HEAD_WAIT_SECONDS = 30;
/**
 * While events wait behind an older open transaction, its commit may notify nobody (it need not have
 * written events), so the head is re-read this often. @default 100 // milliseconds
 */
const PENDING_RECHECK_MS = 100;

function checkFirst(first: number) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_EVENT_PAGE) {
    throw userInputError(`Argument 'first' must be between 1 and ${MAX_EVENT_PAGE}; got ${first}.`, 'PAGE_SIZE');
  }
}

function position(row: ChangeEventRow): EventPosition {
  return { txId: row.txId, id: row.id };
}

export const resolvers = {
  Query: {
    async changeEvents(_: unknown, args: { after?: string | null; first: number }, ctx: Ctx) {
      checkFirst(args.first);
      const after = args.after ? ctx.cursors.decode<EventPosition>(CURSOR_SCOPE, args.after) : null;
      const rows = await readChangeEvents(ctx.db, after, args.first + 1);
      const page = rows.slice(0, args.first);
      const edges = page.map((row) => {
        const cursor = ctx.cursors.encode(CURSOR_SCOPE, position(row));
        return { cursor, node: { ...row, cursor } };
      });
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? args.after ?? null },
      };
    },

    async changeEventBatch(
      _: unknown,
      args: { after?: string | null; first: number; filter?: ChangeEventFilter | null; subscriptionId?: string | null },
      ctx: Ctx,
    ) {
      checkFirst(args.first);
      if (args.subscriptionId != null) {
        // TODO(issue-durable): load the durable subscription, refuse it (FORBIDDEN) unless
        // `ownerClient === ctx.caller.client`, start after its acknowledged cursor when `after` is
        // absent, and apply its filters with `matchesFilter`.
        throw userInputError('Delivery by durable subscription is not available yet; pass `filter` instead.', 'SUBSCRIPTION_ID_NOT_SUPPORTED');
      }
      const after = args.after ? ctx.cursors.decode<EventPosition>(CURSOR_SCOPE, args.after) : null;
      const rows = await readChangeEvents(ctx.db, after, args.first + 1);
      const scanned = rows.slice(0, args.first);
      const edges = scanned
        .filter((row) => matchesDeliveryFilter(row, args.filter))
        .map((row) => {
          const cursor = ctx.cursors.encode(CURSOR_SCOPE, position(row));
          return { cursor, node: { ...row, cursor } };
        });
      const last = scanned.at(-1);
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > args.first, endCursor: last ? ctx.cursors.encode(CURSOR_SCOPE, position(last)) : (args.after ?? null) },
      };
    },

    async changeEventsHead(_: unknown, args: { after?: string | null; waitSeconds: number }, ctx: Ctx) {
      if (!Number.isInteger(args.waitSeconds) || args.waitSeconds < 0 || args.waitSeconds > MAX_HEAD_WAIT_SECONDS) {
        throw userInputError(`Argument 'waitSeconds' must be between 0 and ${MAX_HEAD_WAIT_SECONDS}; got ${args.waitSeconds}.`, 'WAIT_SECONDS');
      }
      const known = args.after ? ctx.cursors.decode<EventPosition>(CURSOR_SCOPE, args.after) : null;
      const deadline = Date.now() + args.waitSeconds * 1000;
      const signal = commitSignal(ctx.db);
      await signal.ready;
      for (;;) {
        // Armed before reading, so a commit between the read and the wait still wakes us.
        const committed = signal.next();
        const { head, pending } = await readHead(ctx.db);
        const moved = head !== null && (known === null || comparePositions(head, known) > 0);
        const left = deadline - Date.now();
        if (moved || left <= 0) return head ? ctx.cursors.encode(CURSOR_SCOPE, head) : (args.after ?? null);
        const timeout = new AbortController();
        await Promise.race([committed, delay(pending ? Math.min(PENDING_RECHECK_MS, left) : left, undefined, { signal: timeout.signal, ref: false }).catch(() => undefined)]);
        timeout.abort();
      }
    },
  },
  ChangeEvent: {
    cprChangeCode: (e: ChangeEventRow) => CHANGE_EVENT_TYPES[e.type as keyof typeof CHANGE_EVENT_TYPES] ?? null,
    occurredAt: (e: ChangeEventRow) => e.occurredAt.toISOString(),
    recordedAt: (e: ChangeEventRow) => e.recordedAt.toISOString(),
    person: (e: ChangeEventRow) => (e.personId ? { __typename: 'Person', id: e.personId } : null),
    details: typedDetails,
  },
  ChangeEventDetails: {
    __resolveType: (d: TypedDetails) => d.__typename,
  },
};
