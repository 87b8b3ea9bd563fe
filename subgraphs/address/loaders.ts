import DataLoader from 'dataloader';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { addresses, municipalities } from '../../db/schema/index.js';
import { anyOf, groupBy, keyList, perDatabase, traced } from '../shared/loaders.js';

export type AddressRow = typeof addresses.$inferSelect & { municipalityName: string | null };

const addressStatements = perDatabase((db) => ({
  addresses: db
    .select({ address: addresses, municipalityName: municipalities.name })
    .from(addresses)
    .leftJoin(municipalities, and(eq(municipalities.country, addresses.countryCode), eq(municipalities.code, addresses.municipalityCode)))
    .where(anyOf(addresses.personId, 'ids', 'uuid'))
    .prepare('addresses_by_person'),
}));

/** All addresses of every person in the response, in one statement. */
export function createAddressLoaders(db: Db) {
  const statements = addressStatements(db);
  return {
    addresses: new DataLoader<string, AddressRow[]>(
      traced('address.addresses', async (ids) => {
        const rows = await statements.addresses.execute({ ids: keyList(ids) });
        return groupBy(
          ids,
          rows.map((r) => ({ ...r.address, municipalityName: r.municipalityName })),
          (r) => r.personId,
        );
      }),
    ),
  };
}

export type AddressLoaders = ReturnType<typeof createAddressLoaders>;
