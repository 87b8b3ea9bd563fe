/**
 * Notification files (CPR Abonnement / Navet style): the persons a durable subscription's events changed
 * since its previous file, each with its current record and the events, in two parts — Danish persons in
 * CPR's record layout (ISO-8859-1: 000 start with this and the previous production date, per person 001
 * and its current records then its 099 events, 999 end with the record count), Swedish persons as one
 * JSON total record each (schema/files/person-record.schema.json) — and the metadata (counts, cursor
 * range, SHA-256 per part). Events and persons are read through the pipeline as the subscription's owner:
 * a field the owner may not see is blank in the file, as CPR blanks a protected person's address for a
 * private customer, and releases to an entitled owner are audited like any read.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { deliveryChunks, notificationFileSeries, notificationFiles, type FilePart } from '../../db/schema/files.js';
import { failureOf, failures, type DeliveryContext } from './context.js';
import { cprNotificationFile } from './cpr-records.js';
import { PERSON_FIELDS, personRecord, withheldUnder, type DeliveredPerson, type EventRecord, type PersonRecord } from './records.js';

/** Events per pipeline read. @default 500 // `changeEvents`' largest page */
const EVENT_PAGE = 500;

/** Bytes per stored chunk of a part. @default 1_000_000 */
const CHUNK_BYTES = 1_000_000;

export const PART_MEDIA_TYPES = { cpr: 'text/plain; charset=ISO-8859-1', se: 'application/x-ndjson; charset=utf-8' } as const;

export type NotificationFile = typeof notificationFiles.$inferSelect;
export type FileSeries = typeof notificationFileSeries.$inferSelect;

const EVENTS_QUERY = /* GraphQL */ `
  query DeliveryFileEvents($subscriptionId: ID!, $after: String, $first: Int!) {
    changeEvents(subscriptionId: $subscriptionId, after: $after, first: $first) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          type
          cprChangeCode
          occurredAt
          recordedAt
          municipalityBefore
          municipalityAfter
          person {
            ...DeliveryPerson
          }
        }
      }
    }
  }
  ${PERSON_FIELDS}
`;

/** Why a file was not produced: the read failed (`error`), or the subscription is gone / not the owner's. */
export class FileProductionError extends Error {
  constructor(readonly error: ReturnType<typeof failureOf>) {
    super(error.message);
  }
}

/** The metadata file of `GET /files/{id}`. */
export function fileMetadata(file: NotificationFile) {
  return {
    id: file.id,
    subscriptionId: file.subscriptionId,
    sequence: file.sequence,
    trigger: file.trigger,
    scheduledFor: file.scheduledFor?.toISOString() ?? null,
    producedAt: file.producedAt.toISOString(),
    previousProducedAt: file.previousProducedAt?.toISOString() ?? null,
    cursors: { after: file.fromCursor, to: file.toCursor },
    complete: (file.counts.more ?? 0) === 0,
    counts: file.counts,
    parts: file.parts.map((p) => ({
      name: p.name,
      href: `/files/${file.id}/${p.name}`,
      mediaType: p.mediaType,
      bytes: p.bytes,
      sha256: p.sha256,
      records: p.records,
      persons: p.persons,
      events: p.events,
      ...(p.valuesAdjusted ? { valuesAdjusted: p.valuesAdjusted } : {}),
      ...(p.name === 'se' ? { schema: 'schema/files/person-record.schema.json' } : {}),
    })),
    expiresAt: file.expiresAt.toISOString(),
  };
}

/** One changed person of the file: the latest record read and its events in log order. */
interface Changed {
  record: PersonRecord;
  events: EventRecord[];
}

/**
 * Produces the series' next file while this gateway holds its lease: reads the events after the last
 * file (at most `maxEvents`), writes both parts and the file row, and moves the series on — in one
 * transaction that holds only if the lease is still this gateway's.
 */
export async function produceFile(
  ctx: DeliveryContext,
  series: FileSeries,
  trigger: 'SCHEDULE' | 'REQUEST',
  maxEvents: number,
  nextRunAt: Date | null,
): Promise<NotificationFile | null> {
  const caller = ctx.callerOf(series.owner);
  const changed = new Map<string, Changed>();
  const counts = { events: 0, persons: 0, dkPersons: 0, sePersons: 0, eventsWithoutPerson: 0, eventsWithoutCprCode: 0, more: 0 };
  let after = series.lastCursor;
  for (;;) {
    const first = Math.min(EVENT_PAGE, maxEvents - counts.events);
    const result = await ctx.run(EVENTS_QUERY, { subscriptionId: series.subscriptionId, after, first }, caller, 'DeliveryFileEvents');
    const page = result.data?.changeEvents as
      { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: FileEvent }[] } | undefined;
    const failed = failures(result);
    if (!page || failed.length) throw new FileProductionError(failureOf(failed[0]));
    page.edges.forEach((edge, i) => {
      counts.events++;
      const event = edge.node;
      if (!event.person) return void counts.eventsWithoutPerson++;
      const record = personRecord(event.person, withheldUnder(result.errors, ['changeEvents', 'edges', i, 'node', 'person']));
      const entry = changed.get(record.id) ?? { record, events: [] };
      entry.record = record; // the latest read: the person as the register has them now
      const { person: _, ...fields } = event;
      entry.events.push({ cursor: edge.cursor, ...fields });
      changed.set(record.id, entry);
    });
    after = page.pageInfo.endCursor ?? after;
    // Lease renewed per page: a long read is not taken over while it makes progress.
    await ctx.db
      .update(notificationFileSeries)
      .set({ leaseUntil: sql`now() + ${`${ctx.leaseMs} milliseconds`}::interval` })
      .where(and(eq(notificationFileSeries.subscriptionId, series.subscriptionId), eq(notificationFileSeries.leaseOwner, ctx.instance)));
    if (!page.pageInfo.hasNextPage) break;
    if (counts.events >= maxEvents) {
      counts.more = 1;
      break;
    }
  }

  const producedAt = new Date();
  const dk = [...changed.values()].filter((c) => c.record.country === 'DK');
  const se = [...changed.values()].filter((c) => c.record.country === 'SE');
  counts.persons = changed.size;
  counts.dkPersons = dk.length;
  counts.sePersons = se.length;
  const sequence = series.sequence + 1;
  const cpr = cprNotificationFile(dk, { sequence, producedAt, previousProducedAt: series.lastProducedAt });
  counts.eventsWithoutCprCode = cpr.eventsWithoutCode;
  const seBytes = Buffer.from(se.map((c) => `${JSON.stringify({ ...c.record, events: c.events })}\n`).join(''), 'utf8');
  const parts: { part: FilePart; bytes: Buffer }[] = [
    {
      part: {
        ...part(
          'cpr',
          cpr.bytes,
          dk.length,
          dk.reduce((n, c) => n + c.events.length, 0),
          cpr.records,
        ),
        valuesAdjusted: cpr.valuesAdjusted,
      },
      bytes: cpr.bytes,
    },
    {
      part: part(
        'se',
        seBytes,
        se.length,
        se.reduce((n, c) => n + c.events.length, 0),
        se.length,
      ),
      bytes: seBytes,
    },
  ];
  const expiresAt = new Date(producedAt.getTime() + ctx.retentionDays * 86_400_000);
  return ctx.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(notificationFileSeries)
      .set({
        lastCursor: after,
        lastProducedAt: producedAt,
        sequence,
        leaseOwner: null,
        leaseUntil: null,
        ...(trigger === 'SCHEDULE' ? { lastSlot: series.nextRunAt, nextRunAt } : {}),
      })
      .where(and(eq(notificationFileSeries.subscriptionId, series.subscriptionId), eq(notificationFileSeries.leaseOwner, ctx.instance)))
      .returning();
    // The lease ran out and another gateway took the series over: it produces this file, not us.
    if (!moved) return null;
    for (const { part: p, bytes } of parts) {
      for (let seq = 0, at = 0; at < bytes.length || seq === 0; seq++, at += CHUNK_BYTES) {
        await tx.insert(deliveryChunks).values({ blobId: p.blobId, seq, data: bytes.subarray(at, at + CHUNK_BYTES) });
      }
    }
    const [file] = await tx
      .insert(notificationFiles)
      .values({
        subscriptionId: series.subscriptionId,
        ownerClient: series.ownerClient,
        sequence,
        trigger,
        scheduledFor: trigger === 'SCHEDULE' ? series.nextRunAt : null,
        fromCursor: series.lastCursor,
        toCursor: after,
        producedAt,
        previousProducedAt: series.lastProducedAt,
        counts,
        parts: parts.map((p) => p.part),
        expiresAt,
      })
      .returning();
    return file!;
  });
}

function part(name: 'cpr' | 'se', bytes: Buffer, persons: number, events: number, records: number): FilePart {
  return {
    name,
    mediaType: PART_MEDIA_TYPES[name],
    blobId: crypto.randomUUID(),
    chunks: Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES)),
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    persons,
    events,
    records,
  };
}

/** An event as the file's read selects it: the record's fields and the person. */
type FileEvent = Omit<EventRecord, 'cursor'> & { person: DeliveredPerson | null };
