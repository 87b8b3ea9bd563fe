import { and, asc, eq, notInArray } from 'drizzle-orm';
import { setTimeout as delay } from 'node:timers/promises';
import { commitSignal, comparePositions, countEventsAfter, readHead, type EventPosition } from '../../db/outbox.js';
import { CHANGE_EVENT_TYPES, type ChangeEventType } from '../../kernel/events.js';
import { typedDetails } from './details.js';
import { changeEvents, eventSubscriptionFilters, eventSubscriptions } from '../../db/schema/index.js';
import { forbidden, userInputError, type ErrorReason } from '../../kernel/errors.js';
import { requirePageSize, requireScope } from '../../kernel/validate.js';
import type { IdentifierCountry } from '../../kernel/identifiers.js';
import type { SubgraphContext } from '../shared/server.js';
import type { Resolvers } from './generated/resolvers.js';
import type { Ctx } from './parents.js';
import { readEventPage } from './event-page.js';
import { withPersonsIdentifiers } from './identities.js';
import { filterCondition, protectionCondition } from './filter.js';
import {
  ageRangeProblem,
  canonicalIdentifier,
  requireFilterValues,
  filterMunicipalityCode,
  municipalityCodeOk,
  parseFilterInput,
  type AgeRange,
  type EventSelection,
  type ChangeEventFilterInput,
  type EventFilter,
} from '../../kernel/event-filter.js';
import {
  acknowledge,
  acknowledgedPosition,
  changeFilters,
  findSubscription,
  loadSubscriptionSelection,
  ownerOf,
  removeFilterGroup,
  type FilterChangeResult,
  type FilterGroup,
  type FilterValue,
} from './store.js';
import { claimWebhooks, completeWebhook, lagOf, removeWebhook, resumeWebhook, setWebhook, webhookCursor, webhookOf } from './webhooks.js';

/** Like CPR BeskedHent and PU: at most 500 events a page. */
export const MAX_EVENT_PAGE = 500;
/** Where `ChangeEventConnection.behindHead` stops counting: a bound on its scan, far past any live lag. @default 10_000 // events */
export const MAX_BEHIND_HEAD = 10_000;
/** Scope of every event cursor: one log, so any event cursor is valid for any filter or subscription. */
export const CURSOR_SCOPE = 'change-events';
const SUBSCRIBE_SCOPE = 'events:subscribe';
/** @default 200 // characters */
const MAX_NAME_LENGTH = 200;
/** Longest a head long-poll waits. @default 30 // seconds */
export const MAX_HEAD_WAIT_SECONDS = 30;
/**
 * While events wait behind an older open transaction, its commit may notify nobody (it need not have
 * written events), so the head is re-read this often. @default 100 // milliseconds
 */
const PENDING_RECHECK_MS = 100;

/** `Query.changeEventsHead`: the newest readable position, waiting (LISTEN) until it passes `after`. */
async function changeEventsHead(ctx: Ctx, args: { after?: string | null; waitSeconds: number }): Promise<string | null> {
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
    // A caller that went away, or a server that stops, ends the wait: the head as it is now.
    if (moved || left <= 0 || ctx.signal.aborted) return head ? ctx.cursors.encode(CURSOR_SCOPE, head) : (args.after ?? null);
    const timeout = new AbortController();
    const abort = () => timeout.abort();
    ctx.signal.addEventListener('abort', abort, { once: true });
    await Promise.race([
      committed,
      delay(pending ? Math.min(PENDING_RECHECK_MS, left) : left, undefined, { signal: timeout.signal, ref: false }).catch(() => undefined),
    ]);
    ctx.signal.removeEventListener('abort', abort);
    timeout.abort();
  }
}

function requireSubscribeScope(ctx: Ctx): string {
  requireScope(ctx.caller.scopes, SUBSCRIBE_SCOPE, `Managing event subscriptions needs scope '${SUBSCRIBE_SCOPE}'.`);
  return ownerOf(ctx.caller);
}

function limitValues<T>(values: T[], argument: string): T[] {
  return requireFilterValues(values, `Argument '${argument}'`);
}

type Item<T> = { ok: true; input: T; value: FilterValue } | { ok: false; input: T; reason: ErrorReason };

/** Validates each item, applies the valid ones in one call and merges results back in input order. */
async function applyItems<T>(ctx: Ctx, subscriptionId: string, group: FilterGroup, action: 'ADD' | 'REMOVE', items: Item<T>[]) {
  const owner = requireSubscribeScope(ctx);
  const valid = items.filter((i): i is Extract<Item<T>, { ok: true }> => i.ok);
  const results = await changeFilters(
    ctx.db,
    owner,
    subscriptionId,
    group,
    action,
    valid.map((i) => i.value),
  );
  let next = 0;
  return items.map((i) =>
    i.ok
      ? { input: i.input, value: i.value, result: results[next++] as FilterChangeResult | 'INVALID', reason: null as ErrorReason | null }
      : { input: i.input, value: null, result: 'INVALID' as const, reason: i.reason },
  );
}

function personItems(inputs: string[], country: IdentifierCountry | null | undefined): Item<string>[] {
  return limitValues(inputs, 'personIdentifiers').map((input) => {
    const parsed = canonicalIdentifier(input, country);
    return 'reason' in parsed
      ? { ok: false, input, reason: parsed.reason }
      : { ok: true, input, value: { value: parsed.canonical, minAge: null, maxAge: null } };
  });
}

function valueItems(inputs: string[], argument: string, check?: (v: string) => ErrorReason | null): Item<string>[] {
  return limitValues(inputs, argument).map((input) => {
    const reason = check?.(input) ?? null;
    return reason ? { ok: false, input, reason } : { ok: true, input, value: { value: input, minAge: null, maxAge: null } };
  });
}

function ageItems(inputs: AgeRange[]): Item<AgeRange>[] {
  return limitValues(inputs, 'ageRanges').map((input) =>
    ageRangeProblem(input) ? { ok: false, input, reason: 'INVALID_AGE_RANGE' } : { ok: true, input, value: { value: null, ...input } },
  );
}

async function personChanges(ctx: Ctx, subscriptionId: string, action: 'ADD' | 'REMOVE', inputs: string[], country?: IdentifierCountry | null) {
  const items = await applyItems(ctx, subscriptionId, 'PERSON', action, personItems(inputs, country));
  return items.map((i) => ({ input: i.input, identifier: i.value?.value ?? null, result: i.result, reason: i.reason }));
}

async function valueChanges(ctx: Ctx, subscriptionId: string, group: FilterGroup, action: 'ADD' | 'REMOVE', items: Item<string>[]) {
  const results = await applyItems(ctx, subscriptionId, group, action, items);
  return results.map((i) => ({ group, value: i.value?.value ?? i.input, minAge: null, maxAge: null, result: i.result, reason: i.reason }));
}

async function ageChanges(ctx: Ctx, subscriptionId: string, action: 'ADD' | 'REMOVE', inputs: AgeRange[]) {
  const results = await applyItems(ctx, subscriptionId, 'AGE_RANGE', action, ageItems(inputs));
  return results.map((i) => ({ group: 'AGE_RANGE' as const, value: null, minAge: i.input.minAge, maxAge: i.input.maxAge, result: i.result, reason: i.reason }));
}

/** Added codes are read as everywhere (`0101` is `101`; unknown ones refused); removal also takes a code as stored before (an unknown one added earlier). */
function municipalityItems(inputs: string[], action: 'ADD' | 'REMOVE'): Item<string>[] {
  return limitValues(inputs, 'municipalityCodes').map((input) => {
    const read = filterMunicipalityCode(input);
    if ('code' in read) return { ok: true, input, value: { value: read.code, minAge: null, maxAge: null } };
    if (action === 'REMOVE' && municipalityCodeOk(input)) return { ok: true, input, value: { value: input, minAge: null, maxAge: null } };
    return { ok: false, input, reason: read.reason };
  });
}

function decodeCursor(ctx: Ctx, cursor: string, argument: string): EventPosition {
  return ctx.cursors.decode<EventPosition>(CURSOR_SCOPE, cursor, argument);
}

export interface PullArgs {
  after?: string | null;
  first: number;
  filter?: ChangeEventFilterInput | null;
  subscriptionId?: string | null;
}

/**
 * A page of the events `filter` and/or durable subscription `subscriptionId` select, after `after` (or the
 * subscription's acknowledged position). Shared by `Query.changeEvents` and the live stream's batches.
 */
/** Asking for an event type the policy keeps from the caller is refused (at subscribe time, for a stream). */
function refuseHiddenTypes(hidden: readonly string[], asked: readonly string[] | undefined): void {
  const refused = (asked ?? []).filter((t) => hidden.includes(t));
  if (refused.length) {
    throw forbidden(`Change events of type ${refused.join(', ')} are not available to you under this deployment's protection policy.`, { eventTypes: refused });
  }
}

export async function pullChangeEvents(ctx: SubgraphContext<unknown>, args: PullArgs) {
  requirePageSize(args.first, MAX_EVENT_PAGE);
  const parsed = parseFilterInput(args.filter);
  refuseHiddenTypes(ctx.caller.hiddenEventTypes, parsed.types);
  // Identifiers follow their persons (a replaced number selects the person's events under the new one).
  const filter = (await withPersonsIdentifiers(ctx.db, parsed)) as EventFilter;
  let from = args.after ? ctx.cursors.decode<EventPosition>(CURSOR_SCOPE, args.after, 'after') : null;
  let condition = filterCondition(filter);
  let subscriptionSelection: EventSelection | undefined;
  if (args.subscriptionId != null) {
    const loaded = await loadSubscriptionSelection(ctx.db, ctx.caller, args.subscriptionId);
    const subscription = { ...loaded, selection: await withPersonsIdentifiers(ctx.db, loaded.selection) };
    subscriptionSelection = subscription.selection;
    if (subscription.selection !== 'NOTHING') refuseHiddenTypes(ctx.caller.hiddenEventTypes, subscription.selection.types);
    condition = and(condition, filterCondition(subscription.selection));
    if (!args.after) from = subscription.acknowledged;
  }
  // Types the policy keeps from this caller never appear, even in an unfiltered read.
  // The policy names types as strings (kernel/caller.ts); one the log does not know matches nothing.
  if (ctx.caller.hiddenEventTypes.length) condition = and(condition, notInArray(changeEvents.type, ctx.caller.hiddenEventTypes as ChangeEventType[]));
  // Nor do excluded persons' events, and no filter group matches a person it would reveal a hidden fact of.
  condition = and(condition, protectionCondition(ctx.caller, filter), subscriptionSelection && protectionCondition(ctx.caller, subscriptionSelection));
  const page = await readEventPage(ctx.db, from, args.first, condition);
  const edges = page.rows.map((row) => {
    const cursor = ctx.cursors.encode(CURSOR_SCOPE, { txId: row.txId, id: row.id });
    return { cursor, node: { ...row, cursor } };
  });
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endPosition ? ctx.cursors.encode(CURSOR_SCOPE, page.endPosition) : null },
    endPosition: page.endPosition,
  };
}

export const resolvers: Resolvers = {
  ChangeEventConnection: {
    // Counted only when asked for (the gateway's feeds ask: README "Metrics", folkreg_feed_lag_events).
    behindHead: (page, _, ctx) => countEventsAfter(ctx.db, page.endPosition, MAX_BEHIND_HEAD),
  },
  Query: {
    changeEvents: (_, args, ctx) => pullChangeEvents(ctx, args),
    changeEventsHead: (_, args, ctx) => changeEventsHead(ctx, args),
    async eventSubscriptions(_, _args, ctx) {
      return ctx.db
        .select()
        .from(eventSubscriptions)
        .where(eq(eventSubscriptions.ownerClient, ownerOf(ctx.caller)))
        .orderBy(asc(eventSubscriptions.createdAt), asc(eventSubscriptions.id));
    },
    async eventSubscription(_, args, ctx) {
      return findSubscription(ctx.db, ownerOf(ctx.caller), args.id);
    },
  },
  Mutation: {
    async createEventSubscription(_, args, ctx) {
      const owner = requireSubscribeScope(ctx);
      const { name = null, catchAll = false, filter: filterInput } = args.input;
      if (name && name.length > MAX_NAME_LENGTH) throw userInputError(`input.name is longer than ${MAX_NAME_LENGTH} characters.`, 'NAME_TOO_LONG');
      const filter = parseFilterInput(filterInput, 'input.filter');
      // Refused when written, as a pull of it would be: a subscription that can never be read is no use.
      refuseHiddenTypes(ctx.caller.hiddenEventTypes, filter.types);
      if (catchAll && Object.keys(filter).length > 0) {
        throw userInputError('A catch-all subscription receives every event; leave out `filter` or set `catchAll: false`.', 'CATCH_ALL_WITH_FILTERS');
      }
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(eventSubscriptions)
          .values({ ownerClient: owner, name, catchAll: catchAll ?? false })
          .returning();
        const id = row!.id;
        const values: Omit<typeof eventSubscriptionFilters.$inferInsert, 'subscriptionId'>[] = [
          ...(filter.types ?? []).map((v) => ({ filterGroup: 'EVENT_TYPE' as const, value: v })),
          ...(filter.municipalityCodes ?? []).map((v) => ({ filterGroup: 'MUNICIPALITY' as const, value: v })),
          ...(filter.identifiers ?? []).map((v) => ({ filterGroup: 'PERSON' as const, value: v })),
          ...(filter.ageRanges ?? []).map((r) => ({ filterGroup: 'AGE_RANGE' as const, value: null, ...r })),
        ];
        if (values.length) await tx.insert(eventSubscriptionFilters).values(values.map((v) => ({ subscriptionId: id, ...v })));
        return row!;
      });
    },
    async deleteEventSubscription(_, args, ctx) {
      const owner = requireSubscribeScope(ctx);
      const row = await findSubscription(ctx.db, owner, args.subscriptionId);
      await ctx.db.delete(eventSubscriptions).where(and(eq(eventSubscriptions.id, row.id), eq(eventSubscriptions.ownerClient, owner)));
      return row.id;
    },
    async setEventSubscriptionCatchAll(_, args, ctx) {
      const owner = requireSubscribeScope(ctx);
      const row = await findSubscription(ctx.db, owner, args.subscriptionId);
      const [updated] = await ctx.db
        .update(eventSubscriptions)
        .set({ catchAll: args.catchAll })
        .where(and(eq(eventSubscriptions.id, row.id), eq(eventSubscriptions.ownerClient, owner)))
        .returning();
      return updated ?? row;
    },
    addPersonFilters: (_, a, ctx) => personChanges(ctx, a.subscriptionId, 'ADD', a.personIdentifiers, a.country),
    removePersonFilters: (_, a, ctx) => personChanges(ctx, a.subscriptionId, 'REMOVE', a.personIdentifiers, a.country),
    addAgeRangeFilters: (_, a, ctx) => ageChanges(ctx, a.subscriptionId, 'ADD', a.ageRanges),
    removeAgeRangeFilters: (_, a, ctx) => ageChanges(ctx, a.subscriptionId, 'REMOVE', a.ageRanges),
    addMunicipalityFilters: (_, a, ctx) => valueChanges(ctx, a.subscriptionId, 'MUNICIPALITY', 'ADD', municipalityItems(a.municipalityCodes, 'ADD')),
    removeMunicipalityFilters: (_, a, ctx) => valueChanges(ctx, a.subscriptionId, 'MUNICIPALITY', 'REMOVE', municipalityItems(a.municipalityCodes, 'REMOVE')),
    addEventTypeFilters: (_, a, ctx) => {
      requireSubscribeScope(ctx);
      // The whole call, like a pull naming the type: nothing is added.
      refuseHiddenTypes(ctx.caller.hiddenEventTypes, a.types);
      return valueChanges(ctx, a.subscriptionId, 'EVENT_TYPE', 'ADD', valueItems(a.types, 'types'));
    },
    removeEventTypeFilters: (_, a, ctx) => valueChanges(ctx, a.subscriptionId, 'EVENT_TYPE', 'REMOVE', valueItems(a.types, 'types')),
    async removeAllFilters(_, args, ctx) {
      const owner = requireSubscribeScope(ctx);
      const removedCount = await removeFilterGroup(ctx.db, owner, args.subscriptionId, args.group);
      return { removedCount, subscription: await findSubscription(ctx.db, owner, args.subscriptionId) };
    },
    async acknowledgeEvents(_, args, ctx) {
      const owner = requireSubscribeScope(ctx);
      const position = decodeCursor(ctx, args.cursor, 'cursor');
      const advanced = await acknowledge(ctx.db, owner, args.subscriptionId, position);
      return { advanced, subscription: await findSubscription(ctx.db, owner, args.subscriptionId) };
    },
    setEventSubscriptionWebhook: (_, args, ctx) => setWebhook(ctx, args),
    removeEventSubscriptionWebhook: (_, args, ctx) => removeWebhook(ctx, args.subscriptionId),
    resumeEventSubscriptionWebhook: (_, args, ctx) => resumeWebhook(ctx, args.subscriptionId, args.after),
    claimWebhookDeliveries: (_, args, ctx) => claimWebhooks(ctx, args.leaseMs, args.limit),
    completeWebhookDelivery: (_, args, ctx) => completeWebhook(ctx, args.outcome),
  },
  Webhook: {
    deliveredCursor: (row, _, ctx) => webhookCursor(row, ctx),
    lastDeliveredAt: (row) => row.lastDeliveredAt?.toISOString() ?? null,
    consecutiveFailures: (row) => row.attempts,
    nextAttemptAt: (row) => (row.state === 'ACTIVE' ? row.nextAttemptAt.toISOString() : null),
    lastError: (row) =>
      row.lastErrorAt && row.lastErrorMessage
        ? { status: row.lastErrorStatus, message: row.lastErrorMessage, at: row.lastErrorAt.toISOString(), attempts: row.lastErrorAttempts ?? 0 }
        : null,
    createdAt: (row) => row.createdAt.toISOString(),
    lagEvents: async (row, _, ctx) => (await lagOf(ctx.db, row)).events,
    lagSeconds: async (row, _, ctx) => (await lagOf(ctx.db, row)).seconds,
  },
  EventSubscription: {
    filters: async (row, _, ctx) => {
      const rows = await ctx.loaders.filters.load(row.id);
      const values = (group: FilterGroup) => rows.filter((r) => r.filterGroup === group).map((r) => r.value!);
      return {
        personIdentifiers: values('PERSON'),
        municipalityCodes: values('MUNICIPALITY'),
        // Types were checked against the vocabulary when they were added (kernel/event-filter.ts).
        types: values('EVENT_TYPE') as ChangeEventType[],
        // An AGE_RANGE row always has both bounds (the table's other groups have none).
        ageRanges: rows.filter((r) => r.filterGroup === 'AGE_RANGE').map((r) => ({ minAge: r.minAge!, maxAge: r.maxAge! })),
      };
    },
    acknowledgedCursor: (row, _, ctx) => {
      const position = acknowledgedPosition(row);
      return position ? ctx.cursors.encode(CURSOR_SCOPE, position) : null;
    },
    createdAt: (row) => row.createdAt.toISOString(),
    webhook: (row, _, ctx) => webhookOf(ctx.db, row.id),
  },
  ChangeEvent: {
    cprChangeCode: (e) => CHANGE_EVENT_TYPES[e.type] ?? null,
    occurredAt: (e) => e.occurredAt.toISOString(),
    recordedAt: (e) => e.recordedAt.toISOString(),
    person: (e) => (e.personId ? { __typename: 'Person', id: e.personId } : null),
    details: typedDetails,
  },
  ChangeEventDetails: {
    __resolveType: (d) => d.__typename,
  },
};
