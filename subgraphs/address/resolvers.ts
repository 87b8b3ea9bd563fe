import { notFound, protectedIdentity, userInputError } from '../../kernel/errors.js';
import { requireDate, requirePersonId, requireScope } from '../../kernel/validate.js';
import { isHidden } from '../../kernel/protection.js';
import { countyName } from '../../kernel/municipalities.js';
import type { Resolvers } from './generated/resolvers.js';
import type { PersonRef } from './parents.js';
import { loadPersonFacts, today as todayIso } from '../shared/writes.js';
import type { AddressRow } from './loaders.js';
import { registerMove } from './writes.js';

export const WRITE_SCOPE = 'address:write';

const KIND_RANK: Record<string, number> = { REGISTERED: 0, FOREIGN: 1, SPECIAL_POSTAL: 2 };

function isCurrent(a: AddressRow, today: string): boolean {
  return a.validTo === null || a.validTo > today;
}

/** Current before ended; then by kind; then newest first. */
function addressOrder(today: string) {
  return (a: AddressRow, b: AddressRow) =>
    Number(!isCurrent(a, today)) - Number(!isCurrent(b, today)) ||
    (KIND_RANK[a.kind] ?? 9) - (KIND_RANK[b.kind] ?? 9) ||
    (b.validFrom ?? '').localeCompare(a.validFrom ?? '');
}

export const resolvers: Resolvers = {
  Person: {
    __resolveReference: (ref): PersonRef => ({ id: ref.id }),
    async address(p, _, ctx) {
      const today = todayIso();
      const current = (await ctx.loaders.addresses.load(p.id)).filter((a) => isCurrent(a, today) && a.kind !== 'SPECIAL_POSTAL');
      return current.sort(addressOrder(today))[0] ?? null;
    },
    async addresses(p, args, ctx) {
      const today = todayIso();
      const all = await ctx.loaders.addresses.load(p.id);
      return (args.includeHistoric ? [...all] : all.filter((a) => isCurrent(a, today))).sort(addressOrder(today));
    },
    async specialPostalAddress(p, _, ctx) {
      const today = todayIso();
      const postal = (await ctx.loaders.addresses.load(p.id)).filter((a) => isCurrent(a, today) && a.kind === 'SPECIAL_POSTAL');
      return postal.sort(addressOrder(today))[0] ?? null;
    },
  },
  Mutation: {
    async moveAddress(_, { input }, ctx) {
      requireScope(ctx.caller.scopes, WRITE_SCOPE);
      const personId = requirePersonId(input.personId, 'input.personId');
      const movedOn = requireDate(input.movedOn, 'input.movedOn');
      if (movedOn > todayIso()) throw userInputError(`'movedOn' may not be in the future; got ${movedOn}.`, 'DATE_OUT_OF_RANGE');
      return ctx.db.transaction(async (tx) => {
        const person = (await loadPersonFacts(tx, [personId])).get(personId);
        if (!person) throw notFound(`No person has the id ${personId}.`);
        if (isHidden(ctx.caller, person.activeProtectionKinds, 'ADDRESS')) {
          throw protectedIdentity("This person's address is protected from you; the move was not registered.");
        }
        // The payload carries the person, so the gateway masks the address by that person's protection.
        return { person: { id: personId }, address: await registerMove(tx, person, movedOn, input.address) };
      });
    },
  },
  Address: {
    deliveryLines: (a) => a.deliveryLines ?? [],
    city: (a) => (a.countryCode === 'SE' ? a.postalDistrict : null),
    countyName: (a) => countyName(a.countryCode, a.countyCode),
    current: (a) => isCurrent(a, todayIso()),
    standardAddressLine: (a) => a.standardAddressLine ?? (a.countryCode === 'SE' && a.kind !== 'FOREIGN' ? (a.deliveryLines?.[0] ?? null) : null),
  },
};
