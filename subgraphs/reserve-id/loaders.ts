import DataLoader from 'dataloader';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { reserveIdentities, reserveIdentityLinks } from '../../db/schema/index.js';
import { groupBy } from '../shared/loaders.js';

export type LinkedReserveIdentity = typeof reserveIdentities.$inferSelect & { linkedAt: Date; targetPersonId: string };

export function createReserveIdLoaders(db: Db) {
  return {
    /** Reserve identities currently linked to each person. */
    linkedToPerson: new DataLoader<string, LinkedReserveIdentity[]>(async (ids) => {
      const rows = await db
        .select({ identity: reserveIdentities, linkedAt: reserveIdentityLinks.linkedAt, targetPersonId: reserveIdentityLinks.targetPersonId })
        .from(reserveIdentityLinks)
        .innerJoin(reserveIdentities, eq(reserveIdentities.id, reserveIdentityLinks.reserveIdentityId))
        .where(and(inArray(reserveIdentityLinks.targetPersonId, [...ids]), isNull(reserveIdentityLinks.unlinkedAt)));
      return groupBy(
        ids,
        rows.map((r) => ({ ...r.identity, linkedAt: r.linkedAt, targetPersonId: r.targetPersonId! })),
        (r) => r.targetPersonId,
      );
    }),
  };
}

export type ReserveIdLoaders = ReturnType<typeof createReserveIdLoaders>;
