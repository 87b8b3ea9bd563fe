import { CHANGE_EVENT_TYPES, readChangeEvents, type ChangeEventRow, type EventPosition } from '../../db/outbox.js';
import { typedDetails, type TypedDetails } from './details.js';
import { userInputError } from '../shared/errors.js';
import type { SubgraphContext } from '../shared/server.js';

type Ctx = SubgraphContext<unknown>;

/** Like CPR BeskedHent and PU: at most 500 events a page. */
export const MAX_EVENT_PAGE = 500;
const CURSOR_SCOPE = 'change-events';

function position(row: ChangeEventRow): EventPosition {
  return { txId: row.txId, id: row.id };
}

export const resolvers = {
  Query: {
    async changeEvents(_: unknown, args: { after?: string | null; first: number }, ctx: Ctx) {
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_EVENT_PAGE) {
        throw userInputError(`Argument 'first' must be between 1 and ${MAX_EVENT_PAGE}; got ${args.first}.`, 'PAGE_SIZE');
      }
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
