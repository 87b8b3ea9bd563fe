import DataLoader from 'dataloader';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { addresses, municipalities } from '../../db/schema/index.js';
import { groupBy } from '../shared/loaders.js';

export type AddressRow = typeof addresses.$inferSelect & { municipalityName: string | null };

/** All addresses of every person in the response, in one statement. */
export function createAddressLoaders(db: Db) {
  return {
    addresses: new DataLoader<string, AddressRow[]>(async (ids) => {
      const rows = await db
        .select({ address: addresses, municipalityName: municipalities.name })
        .from(addresses)
        .leftJoin(municipalities, and(eq(municipalities.country, addresses.countryCode), eq(municipalities.code, addresses.municipalityCode)))
        .where(inArray(addresses.personId, [...ids]));
      return groupBy(
        ids,
        rows.map((r) => ({ ...r.address, municipalityName: r.municipalityName })),
        (r) => r.personId,
      );
    }),
  };
}

export type AddressLoaders = ReturnType<typeof createAddressLoaders>;
