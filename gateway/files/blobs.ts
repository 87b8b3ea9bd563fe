import { createHash, type Hash } from 'node:crypto';
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { deliveryChunks } from '../../db/schema/files.js';

/**
 * Output bytes in `delivery_chunks`, one row per written piece (a page of an extract, a part of a file),
 * read back in order a few rows at a time: neither side holds a whole output in memory, and every
 * gateway replica serves what any of them wrote.
 */

/** Rows read per round trip while streaming a blob out. @default 8 // rows of ≤ 1 MB each */
const READ_ROWS = 8;

/** The chunks of `blobId` from `fromSeq` on, in order, a few rows per statement. */
export async function* readBlob(db: Db, blobId: string, fromSeq = 0): AsyncGenerator<Buffer> {
  let next = fromSeq;
  for (;;) {
    const rows = await db
      .select({ seq: deliveryChunks.seq, data: deliveryChunks.data })
      .from(deliveryChunks)
      .where(and(eq(deliveryChunks.blobId, blobId), gte(deliveryChunks.seq, next)))
      .orderBy(asc(deliveryChunks.seq))
      .limit(READ_ROWS);
    for (const row of rows) yield row.data;
    if (rows.length < READ_ROWS) return;
    next = rows.at(-1)!.seq + 1;
  }
}

/** SHA-256 of a blob, hex: what a writer taking over a half-written blob continues from. */
export async function hashOfBlob(db: Db, blobId: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of readBlob(db, blobId)) hash.update(chunk);
  return hash;
}

/** Removes blobs' bytes (cancelled jobs, expired files). */
export async function deleteBlobs(db: Pick<Db, 'delete'>, blobIds: string[]): Promise<void> {
  if (blobIds.length) await db.delete(deliveryChunks).where(inArray(deliveryChunks.blobId, blobIds));
}
