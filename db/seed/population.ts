/**
 * The synthetic population model: households of Swedish and Danish persons with names, identifiers,
 * addresses, family relations, protection markers, contact details, reserve identities and a change
 * history. Pure generation, no database: `generateChunk` returns the rows of one chunk of households.
 *
 * Every relation stays inside its chunk (households, lineages and the large families are built whole
 * within one chunk), so chunks can be written independently and memory stays bounded.
 */
import type { ChangeEventType } from '../../kernel/events.js';
import { municipalityByCode } from '../../kernel/municipalities.js';
import { ageAt, day, iso, plusYears, REFERENCE_DAY, timestampOn, yearOf, yearStart } from './dates.js';
import type { IdentifierSource } from './ids.js';
import {
  DANISH_FAMILY,
  DANISH_FEMALE_GIVEN,
  DANISH_MALE_GIVEN,
  DANISH_MIDDLE,
  DANISH_STREETS,
  FOREIGN_PERSONS,
  SWEDISH_FAMILY,
  SWEDISH_FEMALE_GIVEN,
  SWEDISH_MALE_GIVEN,
  SWEDISH_STREETS,
} from './names.js';
import { COUNTRY_NAMES, DANISH_POSTAL, FOREIGN_PLACES, SKATTEVERKET_FORWARDING, SWEDISH_POSTAL } from './places.js';
import { hash32, Random } from './random.js';
import {
  emptyChunk,
  PROTECTION_KINDS,
  type AddressRow,
  type ChunkRows,
  type CivilStatus,
  type Country,
  type IdentifierKind,
  type NameRow,
  type PersonRow,
  type ProtectionKind,
  type RelationKind,
  type RelationRow,
  type Sex,
} from './rows.js';
import { nameSearchKey } from '../../kernel/search-key.js';

/** Longest delay between a change taking effect and folkreg recording it. @default 14 // days */
const MAX_REPORTING_DAYS = 14;
/** Moves, name and civil-status changes get events from this day on; deaths, emigrations and protection changes always do. */
const EVENT_LOG_START = day('2023-01-01');
/** Swedish personnummer were introduced in 1947, CPR started on 2 April 1968: earlier births were registered then. */
const SE_REGISTER_START = day('1947-01-01');
const DK_REGISTER_START = day('1968-04-02');
/** Registered partnership existed in Denmark 1989-10-01..2012-06-14 and in Sweden 1995-01-01..2009-04-30. */
const PARTNERSHIP_WINDOW: Record<Country, [number, number]> = {
  DK: [day('1989-10-01'), day('2012-06-14')],
  SE: [day('1995-01-01'), day('2009-04-30')],
};
const FIRST_BIRTH_YEAR = 1915;
/** Share of households in Sweden (the rest in Denmark). */
const SWEDISH_SHARE = 0.56;
/** A large family (current relations > 45) per this many persons, and at least one per chunk of ≥ 500. */
const PERSONS_PER_LARGE_FAMILY = 2000;
const LARGE_FAMILY_MIN_CHUNK = 500;

const LANGUAGE_BY_CITIZENSHIP: Readonly<Record<string, string>> = {
  SE: 'sv',
  DK: 'da',
  FI: 'fi',
  NO: 'nb',
  PL: 'pl',
  DE: 'de',
  IS: 'is',
  TR: 'tr',
  SY: 'ar',
  FR: 'fr',
};
const RESERVE_ISSUERS = ['Region Stockholm', 'Västra Götalandsregionen', 'Region Skåne', 'Region Uppsala', 'Region Östergötland'] as const;
/** PTS's range of Swedish mobile numbers reserved for fiction: 070-174 06 05 … 070-174 06 99. */
const FICTIONAL_SE_MOBILE_FIRST = 46701740605;
const FICTIONAL_SE_MOBILE_COUNT = 95;

type Origin = (typeof FOREIGN_PERSONS)[number] | null;

/** A person while their chunk is being built; `row` is written as is when the chunk is done. */
interface Person {
  row: PersonRow;
  country: Country;
  sex: Sex;
  birth: number;
  origin: Origin;
  /** Came to the country (registered on arrival, not at birth). */
  immigrant: boolean;
  /** Identifier history, oldest first; the last is current. */
  ids: { kind: IdentifierKind; value: string; from?: number; to?: number }[];
  name: NameRow;
  death?: number;
  protection: Set<ProtectionKind>;
  /** Start of skyddad folkbokföring, if any. */
  protectedSince?: number;
  /** Current registered address, once settled. */
  address?: AddressRow;
  /** Marriages and partnerships with a registered person: both relation rows, to end them at a death. */
  unions: { partner: Person; kind: 'SPOUSE' | 'REGISTERED_PARTNER'; rows: RelationRow[] }[];
}

interface NewPerson {
  kind?: IdentifierKind;
  familyName?: string;
  /** Born in the register's country to an immigrant family: registered at birth, not on arrival. */
  bornHere?: boolean;
  /** Parents are (or will be) linked as persons, so CPR has no name-only parent rows for them. */
  parentsKnown?: boolean;
}

/** Where a household lives: one address shape, copied to each member's rows. */
type Residence = Omit<AddressRow, 'person_id' | 'kind' | 'valid_from' | 'valid_to' | 'id'>;

interface Household {
  country: Country;
  members: Person[];
  residence: Residence;
  moveIn: number;
  previous?: { residence: Residence; from: number };
  /** The household came back from abroad on `moveIn` (CPR A04 genindrejse): a FOREIGN address before it. */
  returnedFrom?: string;
}

export class PopulationGenerator {
  constructor(
    private readonly seed: number,
    private readonly ids: IdentifierSource,
  ) {}

  /** Generates chunk `index` with exactly `size` persons. */
  generateChunk(index: number, size: number): ChunkRows {
    return new ChunkBuilder(new Random(this.seed, `chunk:${index}`), this.ids, size, new Random(this.seed, `reporting:${index}`)).build();
  }
}

class ChunkBuilder {
  private readonly out = emptyChunk();
  private readonly people: Person[] = [];
  private eventMinute = 0;
  /** Protection kinds not yet given in this chunk: the first eligible person gets them. */
  private readonly kindsStillNeeded = new Set<ProtectionKind>(PROTECTION_KINDS);
  /** Registered partnerships are rare (a window of years, same-sex couples): the chunk's first fitting couple gets one. */
  private partnershipStillNeeded = true;

  constructor(
    private readonly rng: Random,
    private readonly ids: IdentifierSource,
    private readonly size: number,
    /** Reporting delays of events: a stream of its own, so the rest of the population does not depend on it. */
    private readonly reporting: Random,
  ) {}

  build(): ChunkRows {
    const largeFamilies = this.size >= LARGE_FAMILY_MIN_CHUNK ? Math.max(1, Math.round(this.size / PERSONS_PER_LARGE_FAMILY)) : 0;
    for (let i = 0; i < largeFamilies && this.remaining() >= LARGE_FAMILY_SIZE; i++) this.largeFamily();
    while (this.remaining() > 0) this.household();
    this.nothingAfterDeath();
    this.everyProtectionKind();
    this.replaceSomeIdentifiers();
    this.guardianships();
    this.reserveIdentities();
    this.out.persons = this.people.map((p) => p.row);
    this.identifierRows();
    return this.out;
  }

  private remaining(): number {
    return this.size - this.people.length;
  }

  // ─── Households ──────────────────────────────────────────────────────────────────────────────

  /** One household of a type drawn by weight; types that would overflow the chunk fall back to a single person. */
  private household(): void {
    const rng = this.rng;
    const country: Country = rng.chance(SWEDISH_SHARE) ? 'SE' : 'DK';
    const origin: Origin = rng.chance(0.09) ? rng.pick(FOREIGN_PERSONS) : null;
    const budget = this.remaining();
    const type = rng.weighted({ family: 27, couple: 16, singleParent: 7, single: 36, elderly: 14 });
    if (type === 'elderly' && budget >= 12) return this.elderly(country);
    if (type === 'family' && budget >= 6) return this.family(country, origin);
    if (type === 'couple' && budget >= 2) return this.couple(country, origin);
    if (type === 'singleParent' && budget >= 6) return this.singleParent(country, origin);
    this.single(country, origin);
  }

  /** Two parents (the first may be given: an adult child of a lineage) and one to four children. */
  private family(country: Country, origin: Origin, knownParent?: Person): void {
    const rng = this.rng;
    const first = knownParent ?? this.adult(country, origin, rng.chance(0.5) ? 'MALE' : 'FEMALE', this.birthIn(1958, 1998));
    const second = this.adult(country, rng.chance(0.85) ? origin : null, first.sex === 'MALE' ? 'FEMALE' : 'MALE', this.partnerBirth(first.birth, 5));
    const union = this.between(Math.max(plusYears(first.birth, 20), plusYears(second.birth, 20)), Math.min(plusYears(first.birth, 34), REFERENCE_DAY - 400));
    if (rng.chance(0.68)) this.marry(first, second, union, 'SPOUSE');
    else this.previousMarriage(first);
    const mother = first.sex === 'FEMALE' ? first : second;
    const father = first.sex === 'MALE' ? first : second;
    const familyName = father.name.family_name;
    const children = rng.weighted({ 1: 30, 2: 45, 3: 18, 4: 7 });
    const kids: Person[] = [];
    for (let i = 0; i < Number(children); i++) {
      const birth = this.between(Math.max(union - 300, plusYears(mother.birth, 19)), Math.min(plusYears(mother.birth, 44), REFERENCE_DAY - 1));
      if (birth < union - 300) break;
      kids.push(this.child(country, origin, birth, mother, father, familyName, [mother, father]));
    }
    kids.sort((a, b) => a.birth - b.birth);
    this.settle({ country, members: [first, second, ...kids], residence: this.residence(country), moveIn: this.moveIn([first, second], union) });
  }

  /** Two adults, married, in registered partnership or cohabiting, no children at home (the first may be given). */
  private couple(country: Country, origin: Origin, knownPartner?: Person): void {
    const rng = this.rng;
    const first = knownPartner ?? this.adult(country, origin, rng.chance(0.5) ? 'MALE' : 'FEMALE', this.birthIn(1940, 2004));
    const [open, close] = PARTNERSHIP_WINDOW[country];
    const forcePartnership = this.partnershipStillNeeded && plusYears(first.birth, 27) < close;
    const sameSex = forcePartnership || rng.chance(0.05);
    const secondSex: Sex = sameSex ? first.sex : first.sex === 'MALE' ? 'FEMALE' : 'MALE';
    const second = this.adult(country, rng.chance(0.8) ? origin : null, secondSex, this.partnerBirth(first.birth, forcePartnership ? 2 : 7));
    const earliest = Math.max(plusYears(first.birth, 20), plusYears(second.birth, 20));
    const union = forcePartnership ? this.between(Math.max(earliest, open), close) : this.between(earliest, REFERENCE_DAY - 30);
    if (sameSex && union >= open && union <= close && (forcePartnership || rng.chance(0.7))) {
      this.partnershipStillNeeded = false;
      this.marry(first, second, union, 'REGISTERED_PARTNER');
      // Now and then one partner has died: the other is the surviving partner.
      if (rng.chance(0.15)) this.die(rng.chance(0.5) ? first : second, this.between(union + 365, REFERENCE_DAY - 1));
    } else if (rng.chance(0.62)) this.marry(first, second, sameSex ? Math.max(union, close + 1) : union, 'SPOUSE');
    else {
      this.previousMarriage(first);
      this.previousMarriage(second);
    }
    this.settle({ country, members: [first, second], residence: this.residence(country), moveIn: this.moveIn([first, second], union) });
  }

  /**
   * A parent alone with one to three children. The other parent lives elsewhere in the chunk (joint
   * custody, maybe an ended marriage), is known to CPR only by name and birth date, or is not registered.
   */
  private singleParent(country: Country, origin: Origin): void {
    const rng = this.rng;
    const parent = this.adult(country, origin, rng.chance(0.8) ? 'FEMALE' : 'MALE', this.birthIn(1966, 2001));
    const otherSex: Sex = parent.sex === 'FEMALE' ? 'MALE' : 'FEMALE';
    const otherBirth = this.near(parent.birth, 5);
    const start = Math.max(plusYears(parent.birth, 19), plusYears(otherBirth, 19));
    const firstBirth = this.between(start, Math.min(plusYears(parent.birth, 38), REFERENCE_DAY - 200));
    const roll = rng.next();
    let other: Person | undefined;
    let nameOnly: { name: string; birth: number } | undefined;
    if (roll < 0.45) {
      other = this.adult(country, origin, otherSex, otherBirth);
      if (rng.chance(0.5)) {
        const divorce = this.between(firstBirth + 200, REFERENCE_DAY - 30);
        this.marry(parent, other, this.between(start, firstBirth), 'SPOUSE', divorce);
      }
    } else if (country === 'DK' && roll < 0.75) {
      nameOnly = { name: this.fullName(country, origin, otherSex), birth: otherBirth };
    }
    const mother = parent.sex === 'FEMALE' ? parent : other;
    const father = parent.sex === 'MALE' ? parent : other;
    const familyName = rng.chance(0.6) || !other ? parent.name.family_name : other.name.family_name;
    const kids: Person[] = [];
    const count = rng.weighted({ 1: 45, 2: 40, 3: 15 });
    let birth = firstBirth;
    for (let i = 0; i < Number(count) && birth < REFERENCE_DAY; i++) {
      const holders = other && rng.chance(0.75) ? [parent, other] : [parent];
      const kid = this.child(country, origin, birth, mother, father, familyName, holders);
      if (nameOnly) this.nameOnlyRelative(kid, otherSex === 'MALE' ? 'FATHER' : 'MOTHER', nameOnly.name, nameOnly.birth, kid.birth);
      kids.push(kid);
      birth = birth + this.rng.between(400, 2000);
    }
    const protectedHome = country === 'SE' && (this.kindsStillNeeded.has('SE_PROTECTED_REGISTRATION') || rng.chance(0.03));
    const home: Household = { country, members: [parent, ...kids], residence: this.residence(country), moveIn: this.moveIn([parent], firstBirth) };
    if (protectedHome)
      for (const p of home.members) this.protect(p, 'SE_PROTECTED_REGISTRATION', this.between(Math.max(home.moveIn, day('2005-01-01')), REFERENCE_DAY - 10));
    this.settle(home);
    if (other) this.settle({ country, members: [other], residence: this.residence(country), moveIn: this.moveIn([other], firstBirth + 400) });
  }

  /**
   * One adult. Some are widowed (the deceased spouse is part of the household's history), some
   * emigrated or disappeared, some Swedish residents have only a samordningsnummer.
   */
  private single(country: Country, origin: Origin): void {
    const rng = this.rng;
    if (country === 'SE' && rng.chance(origin ? 0.3 : 0.015)) return this.coordinationNumberHolder(origin ?? rng.pick(FOREIGN_PERSONS));
    const birth = this.birthIn(1938, 2007);
    const p = this.adult(country, origin, rng.chance(0.5) ? 'MALE' : 'FEMALE', birth);
    const home: Household = { country, members: [p], residence: this.residence(country), moveIn: this.moveIn([p], plusYears(birth, 18)) };
    // The person's fate is drawn first, so the rest of their history can end before it.
    const fate = rng.next();
    const earliest = Math.max(home.moveIn + 200, plusYears(birth, 19), day(p.row.registered_on) + 30);
    const fateDay = earliest < REFERENCE_DAY - 1 ? this.between(earliest, REFERENCE_DAY - 1) : undefined;
    const horizon = fate < 0.046 && fateDay !== undefined ? fateDay : REFERENCE_DAY;
    if (fate > 0.94 && !origin) home.returnedFrom = rng.pick(FOREIGN_PLACES).country;
    const age = ageAt(birth, REFERENCE_DAY);
    const roll = rng.next();
    if (age >= 55 && roll < 0.22 && this.remaining() >= 1) {
      const spouse = this.adult(country, origin, p.sex === 'MALE' ? 'FEMALE' : 'MALE', this.near(birth, 4));
      const wedding = this.between(plusYears(Math.max(birth, spouse.birth), 21), plusYears(Math.max(birth, spouse.birth), 35));
      this.marry(p, spouse, wedding, 'SPOUSE');
      this.die(spouse, this.between(wedding + 3650, horizon - 1));
      home.members.push(spouse);
    } else if (age >= 28 && roll < 0.5) {
      this.previousMarriage(p, true, horizon);
    }
    if (fateDay !== undefined) {
      if (fate < 0.035) this.emigrate(p, fateDay);
      else if (fate < 0.04) this.disappear(p, fateDay);
      else if (fate < 0.046) this.die(p, fateDay);
    }
    this.settle(home);
  }

  /** A foreign citizen known to Skatteverket only by a samordningsnummer: not folkbokförd, so no registered address. */
  private coordinationNumberHolder(origin: NonNullable<Origin>): void {
    const rng = this.rng;
    const birth = this.birthIn(1950, 2005);
    const p = this.adult('SE', origin, rng.chance(0.5) ? 'MALE' : 'FEMALE', birth, { kind: 'COORDINATION_NUMBER' });
    const issued = this.between(Math.max(plusYears(birth, 18), day('2000-01-01')), REFERENCE_DAY - 1);
    p.row.registered_on = iso(issued);
    p.row.citizenships = [origin.citizenship];
    if (issued >= EVENT_LOG_START) this.event('PERSON_REGISTERED', p, issued, { reason: 'COORDINATION_NUMBER' });
    if (rng.chance(0.6)) {
      // A contact address in Sweden (c/o an employer or landlord) ...
      this.addressRow(p, 'SPECIAL_POSTAL', { ...this.residence('SE'), care_of: `c/o ${this.fullName('SE', null, 'MALE')}` }, issued);
    } else {
      // ... or the home address abroad.
      this.addressRow(p, 'FOREIGN', this.foreignResidence(origin.citizenship), issued);
    }
    this.contactDetails(p);
  }

  /**
   * An elderly couple (born 1915–1950); one or both may have died, the oldest mostly have. Half of them
   * have adult children in households of their own (a lineage), linked as MOTHER/FATHER and CHILD.
   */
  private elderly(country: Country): void {
    const rng = this.rng;
    const birth = this.birthIn(FIRST_BIRTH_YEAR, 1950);
    const a = this.adult(country, null, rng.chance(0.45) ? 'MALE' : 'FEMALE', birth);
    const b = this.adult(country, null, a.sex === 'MALE' ? 'FEMALE' : 'MALE', this.near(birth, 4));
    const wedding = this.between(plusYears(Math.max(a.birth, b.birth), 20), plusYears(Math.max(a.birth, b.birth), 30));
    this.marry(a, b, wedding, 'SPOUSE');
    // The oldest are mostly dead; a few of them live past 100. Deaths happen in date order, so the
    // first to die leaves a widow(er) and the second dies widowed.
    const deaths: [Person, number][] = [];
    for (const p of [a, b]) {
      const age = ageAt(p.birth, REFERENCE_DAY);
      const deathChance = age >= 100 ? 0.9 : age >= 90 ? 0.55 : age >= 80 ? 0.3 : 0.12;
      if (rng.chance(deathChance)) deaths.push([p, this.between(plusYears(p.birth, Math.min(age, 70)), REFERENCE_DAY - 1)]);
    }
    for (const [p, on] of deaths.sort((x, y) => x[1] - y[1])) this.die(p, on);
    const mother = a.sex === 'FEMALE' ? a : b;
    const father = a.sex === 'MALE' ? a : b;
    const home: Household = { country, members: [a, b], residence: this.residence(country), moveIn: this.moveIn([a, b], wedding) };
    if (rng.chance(0.3)) home.previous = { residence: this.residence(country), from: wedding };
    this.settle(home);
    if (!rng.chance(0.5)) return;
    const children = rng.between(1, 3);
    for (let i = 0; i < children && this.remaining() >= 6; i++) {
      const childBirth = this.between(Math.max(wedding, plusYears(mother.birth, 20)), Math.min(plusYears(mother.birth, 40), day('2004-01-01')));
      const adultChild = this.adult(country, null, rng.chance(0.5) ? 'MALE' : 'FEMALE', childBirth, {
        familyName: father.name.family_name,
        parentsKnown: true,
      });
      this.parentLinks(adultChild, mother, father, [], childBirth);
      const kind = rng.weighted({ family: 45, couple: 30, single: 25 });
      if (kind === 'family' && ageAt(childBirth, REFERENCE_DAY) <= 55) this.family(country, null, adultChild);
      else if (kind !== 'single') this.couple(country, null, adultChild);
      else this.settle({ country, members: [adultChild], residence: this.residence(country), moveIn: this.moveIn([adultChild], plusYears(childBirth, 18)) });
    }
  }

  /**
   * A father with 36 children by four wives over forty-five years: his family pages run past 45
   * current relations (36 CHILD, custody of the minors, the current SPOUSE), with the ended marriages
   * and custodies as history. The wives live apart with their minor children; adult children alone.
   */
  private largeFamily(): void {
    const rng = this.rng;
    const country: Country = rng.chance(SWEDISH_SHARE) ? 'SE' : 'DK';
    const father = this.adult(country, null, 'MALE', this.birthIn(1954, 1957));
    const plan = LARGE_FAMILY_WIVES;
    const grownUps: Person[] = [];
    // One marriage at a time: each wedding after the previous divorce.
    let free = yearStart(plan[0].from) - 700;
    for (const [index, wife] of plan.entries()) {
      const mother = this.adult(country, null, 'FEMALE', this.birthIn(wife.born, wife.born + 1));
      const wedding = this.between(free, Math.max(free, yearStart(wife.from) - 30));
      const last = index === plan.length - 1;
      const divorce = last ? undefined : yearStart(wife.to + 1) - rng.between(20, 60);
      if (divorce !== undefined) free = divorce + 30;
      this.marry(father, mother, wedding, 'SPOUSE', divorce);
      const span = yearStart(Math.min(wife.to + 1, 2026)) - 1 - yearStart(wife.from);
      const homeKids: Person[] = [];
      for (let k = 0; k < wife.kids; k++) {
        const birth = yearStart(wife.from) + Math.floor(((k + rng.next() * 0.8) * span) / wife.kids);
        const kid = this.child(country, null, Math.min(birth, REFERENCE_DAY - 1), mother, father, father.name.family_name, [mother, father], true);
        if (ageAt(kid.birth, REFERENCE_DAY) >= 18) grownUps.push(kid);
        else homeKids.push(kid);
      }
      const members = last ? [father, mother, ...homeKids] : [mother, ...homeKids];
      this.settle({ country, members, residence: this.residence(country), moveIn: this.moveIn([mother], wedding) });
    }
    for (const kid of grownUps)
      this.settle({ country, members: [kid], residence: this.residence(country), moveIn: this.moveIn([kid], plusYears(kid.birth, 18)) });
  }

  // ─── Persons ─────────────────────────────────────────────────────────────────────────────────

  /** A new person with identifier, name and person row (no address yet: see `settle`). */
  private adult(country: Country, origin: Origin, sex: Sex, birth: number, opts: NewPerson = {}): Person {
    const rng = this.rng;
    const given = this.givenNames(country, origin, sex);
    const middle = origin
      ? undefined
      : country === 'DK'
        ? rng.chance(0.3)
          ? rng.pick(DANISH_MIDDLE)
          : undefined
        : rng.chance(0.04)
          ? rng.pick(SWEDISH_FAMILY)
          : undefined;
    const family = opts.familyName ?? this.familyName(country, origin);
    const idKind: IdentifierKind = opts.kind ?? (country === 'SE' ? 'PERSONAL_IDENTITY_NUMBER' : 'CPR_NUMBER');
    const born = Math.min(birth, REFERENCE_DAY - 1);
    const immigrant = origin !== null && !opts.bornHere;
    const citizenships = origin
      ? opts.bornHere
        ? rng.chance(0.7)
          ? [country]
          : [country, origin.citizenship]
        : rng.chance(0.4)
          ? [origin.citizenship, country]
          : [origin.citizenship]
      : rng.chance(0.02)
        ? [country, rng.pick(['NO', 'FI', 'DE', 'GB', 'US'])]
        : [country];
    // Immigrants are registered on arrival (at 16 or later when they can have been); others at birth,
    // or when the register started.
    const registered = immigrant
      ? this.between(Math.min(plusYears(born, 16), REFERENCE_DAY - 2), REFERENCE_DAY - 1)
      : Math.max(born, country === 'SE' ? SE_REGISTER_START : DK_REGISTER_START);
    const id = rng.uuid();
    const p: Person = {
      country,
      sex,
      birth: born,
      origin,
      immigrant,
      ids: [{ kind: idKind, value: this.newIdentifier(country, idKind, born, sex) }],
      name: this.nameRow(id, given, middle, family, born),
      protection: new Set(),
      unions: [],
      row: {
        id,
        country,
        birth_date: iso(born),
        sex,
        status: 'ACTIVE',
        civil_status: 'UNMARRIED',
        citizenships,
        registering_authority: country === 'SE' ? 'Skatteverket' : 'CPR-kontoret',
        registered_on: iso(registered),
      },
    };
    this.people.push(p);
    if (immigrant && registered >= EVENT_LOG_START) this.event('PERSON_REGISTERED', p, registered, { reason: 'IMMIGRATION', fromCountry: origin.citizenship });
    const adultNow = ageAt(born, REFERENCE_DAY) >= 18;
    // CPR often knows an adult's parents only by name and birth date (born abroad, died before 1968 ...).
    if (country === 'DK' && adultNow && !opts.parentsKnown && rng.chance(0.3)) {
      const motherBirth = plusYears(born, -rng.between(20, 38));
      const fatherBirth = Math.min(motherBirth + rng.between(-1460, 2920), plusYears(born, -18));
      this.nameOnlyRelative(p, 'MOTHER', this.fullName(country, origin, 'FEMALE'), motherBirth, born);
      this.nameOnlyRelative(p, 'FATHER', `${this.givenNames(country, origin, 'MALE')} ${family}`, fatherBirth, born);
    }
    this.maybeProtect(p);
    return p;
  }

  /** A child of `mother`/`father` (either may be missing), with custody while a minor. */
  private child(
    country: Country,
    origin: Origin,
    birth: number,
    mother: Person | undefined,
    father: Person | undefined,
    familyName: string,
    holders: Person[],
    historicCustody = false,
  ): Person {
    const kid = this.adult(country, origin, this.rng.chance(0.51) ? 'MALE' : 'FEMALE', birth, { familyName, bornHere: true, parentsKnown: true });
    if (kid.birth >= EVENT_LOG_START) this.event('PERSON_REGISTERED', kid, kid.birth, { reason: 'BIRTH' });
    this.parentLinks(kid, mother, father, holders, kid.birth, historicCustody);
    return kid;
  }

  /** MOTHER/FATHER from the child and CHILD from each parent; custody (both ways) until 18 for the holders. */
  private parentLinks(kid: Person, mother: Person | undefined, father: Person | undefined, holders: Person[], from: number, historicCustody = false): void {
    if (mother) this.relate(kid, 'MOTHER', mother, 'CHILD', from);
    if (father) this.relate(kid, 'FATHER', father, 'CHILD', from);
    const adulthood = plusYears(kid.birth, 18);
    const minor = adulthood > REFERENCE_DAY;
    if (!minor && !historicCustody) return;
    for (const holder of holders) {
      const end = Math.min(minor ? Infinity : adulthood, holder.death ?? Infinity);
      this.relate(kid, 'CUSTODY_HOLDER', holder, 'IN_CUSTODY_OF', from, Number.isFinite(end) ? end : undefined);
    }
  }

  /** Marriage or registered partnership, optionally ended by divorce/dissolution on `end`. */
  private marry(a: Person, b: Person, wedding: number, kind: 'SPOUSE' | 'REGISTERED_PARTNER', end?: number): void {
    const at = Math.min(wedding, REFERENCE_DAY - 2);
    const until = end !== undefined && end > at && end < REFERENCE_DAY ? end : undefined;
    const rows = this.relate(a, kind, b, kind, at, until);
    if (until === undefined) {
      a.unions.push({ partner: b, kind, rows });
      b.unions.push({ partner: a, kind, rows });
    }
    const status: CivilStatus = kind === 'SPOUSE' ? 'MARRIED' : 'REGISTERED_PARTNERSHIP';
    for (const p of [a, b]) this.setCivilStatus(p, status, at);
    // Many wives (and a few husbands) take the spouse's family name at the wedding.
    if (kind === 'SPOUSE' && a.sex !== b.sex) {
      const wife = a.sex === 'FEMALE' ? a : b;
      const husband = a.sex === 'MALE' ? a : b;
      if (this.rng.chance(0.5) && wife.name.family_name !== husband.name.family_name) this.changeFamilyName(wife, husband.name.family_name, at, 'MARRIAGE');
      else if (this.rng.chance(0.04)) this.changeFamilyName(husband, wife.name.family_name, at, 'MARRIAGE');
    }
    if (until !== undefined) {
      const ended: CivilStatus = kind === 'SPOUSE' ? 'DIVORCED' : 'DISSOLVED_PARTNERSHIP';
      for (const p of [a, b]) this.setCivilStatus(p, ended, until);
      if (until >= EVENT_LOG_START) for (const p of [a, b]) this.event('FAMILY_RELATION_CHANGE', p, until, { kind, action: 'ENDED' });
    }
  }

  /**
   * An ended marriage (now and then a dissolved registered partnership) to someone outside the
   * population: CPR keeps the former spouse by name and birth date.
   */
  private previousMarriage(p: Person, always = false, horizon = REFERENCE_DAY): void {
    const rng = this.rng;
    if (!always && !rng.chance(0.15)) return;
    const latestWedding = Math.min(plusYears(p.birth, 40), horizon - 800);
    if (plusYears(p.birth, 21) >= latestWedding) return;
    const from = this.between(plusYears(p.birth, 21), latestWedding);
    const until = this.between(from + 365, Math.min(from + 7300, horizon - 400));
    const [open, close] = PARTNERSHIP_WINDOW[p.country];
    const partnership = from >= open && from <= close && rng.chance(0.04);
    this.setCivilStatus(p, partnership ? 'REGISTERED_PARTNERSHIP' : 'MARRIED', from);
    this.setCivilStatus(p, partnership ? 'DISSOLVED_PARTNERSHIP' : 'DIVORCED', until);
    if (p.country === 'DK' && rng.chance(0.7)) {
      const spouseSex: Sex = partnership ? p.sex : p.sex === 'MALE' ? 'FEMALE' : 'MALE';
      this.nameOnlyRelative(p, partnership ? 'REGISTERED_PARTNER' : 'SPOUSE', this.fullName('DK', p.origin, spouseSex), this.near(p.birth, 5), from, until);
    }
  }

  /** Death: status DECEASED; open marriages end, the survivor is widowed (or surviving partner); custody ends. */
  private die(p: Person, on: number): void {
    const registered = day(p.row.registered_on);
    if (p.death !== undefined || registered + 1 >= REFERENCE_DAY - 1) return;
    const at = Math.min(Math.max(on, registered + 1), REFERENCE_DAY - 1);
    p.death = at;
    p.row.status = 'DECEASED';
    p.row.status_date = iso(at);
    this.event('DEATH', p, at, {});
    for (const union of p.unions) {
      for (const row of union.rows) if (!row.valid_to) row.valid_to = iso(at);
      union.partner.unions = union.partner.unions.filter((u) => u.partner !== p);
      if (!union.partner.death) this.setCivilStatus(union.partner, union.kind === 'SPOUSE' ? 'WIDOWED' : 'SURVIVING_PARTNER', at);
    }
    p.unions = [];
    if (p.country === 'DK') this.setCivilStatus(p, 'DECEASED', at, false);
  }

  private emigrate(p: Person, on: number): void {
    p.row.status = 'EMIGRATED';
    p.row.status_date = iso(on);
  }

  private disappear(p: Person, on: number): void {
    p.row.status = 'DISAPPEARED';
    p.row.status_date = iso(on);
  }

  private setCivilStatus(p: Person, status: CivilStatus, since: number, withEvent = true): void {
    if (p.death !== undefined && since > p.death) return;
    const before = p.row.civil_status;
    p.row.civil_status = status;
    p.row.civil_status_since = iso(since);
    if (withEvent && since >= EVENT_LOG_START) this.event('CIVIL_STATUS_CHANGE', p, since, { from: before, to: status });
  }

  // ─── Names ───────────────────────────────────────────────────────────────────────────────────

  private givenNames(country: Country, origin: Origin, sex: Sex): string {
    const rng = this.rng;
    const list = origin
      ? sex === 'MALE'
        ? origin.male
        : origin.female
      : country === 'SE'
        ? sex === 'MALE'
          ? SWEDISH_MALE_GIVEN
          : SWEDISH_FEMALE_GIVEN
        : sex === 'MALE'
          ? DANISH_MALE_GIVEN
          : DANISH_FEMALE_GIVEN;
    const first = rng.pick(list);
    if (!rng.chance(0.4)) return first;
    const second = rng.pick(list);
    return second === first ? first : `${first} ${second}`;
  }

  private familyName(country: Country, origin: Origin): string {
    return this.rng.pick(origin ? origin.family : country === 'SE' ? SWEDISH_FAMILY : DANISH_FAMILY);
  }

  private fullName(country: Country, origin: Origin, sex: Sex): string {
    return `${this.givenNames(country, origin, sex)} ${this.familyName(country, origin)}`;
  }

  private nameRow(personId: string, given: string, middle: string | undefined, family: string, from: number): NameRow {
    const row: NameRow = {
      person_id: personId,
      given_names: given,
      middle_name: middle,
      family_name: family,
      // CPR ADRNVN / aviseringsnamn style: "Family, Given Middle".
      addressing_name: `${family}, ${middle ? `${given} ${middle}` : given}`,
      search_key: nameSearchKey(given, middle ?? null, family),
      valid_from: iso(from),
    };
    this.out.names.push(row);
    return row;
  }

  /** Ends the current name row and starts a new one with another family name. */
  private changeFamilyName(p: Person, family: string, on: number, reason: string): void {
    if (p.death !== undefined && on > p.death) return;
    const old = p.name;
    old.valid_to = iso(on);
    p.name = this.nameRow(p.row.id, old.given_names, old.middle_name, family, on);
    if (on >= EVENT_LOG_START) this.event('NAME_CHANGE', p, on, { reason });
  }

  // ─── Identifiers ─────────────────────────────────────────────────────────────────────────────

  private newIdentifier(country: Country, kind: IdentifierKind, birth: number, sex: Sex): string {
    if (country === 'DK') return this.ids.cprNumber(birth, sex);
    return this.ids.personalIdentityNumber(birth, sex, kind === 'COORDINATION_NUMBER');
  }

  /**
   * A few adults got a new number (a corrected birth date, a duplicate; CPR P03), and some Swedish
   * immigrants had a samordningsnummer before they were folkbokförda. The old number stays as history
   * with `validTo`, so it keeps finding the person. Drawn after the households, when deaths are known
   * (no number changes after death); events dated before the change are given the old number.
   */
  private replaceSomeIdentifiers(): void {
    const rng = this.rng;
    const changed = new Map<string, { old: string; until: number }>();
    for (const p of this.people) {
      if (ageAt(p.birth, REFERENCE_DAY) < 18) continue;
      const roll = rng.next();
      const current = p.ids[0]!;
      const registered = day(p.row.registered_on);
      const end = p.death ?? REFERENCE_DAY;
      if (roll < 0.003 && registered + 30 < end - 1) {
        // The old number was issued with a birth date a few days off.
        const wrongBirth = Math.min(p.birth + (rng.chance(0.5) ? 1 : -1) * rng.between(1, 20), REFERENCE_DAY - 1);
        const on = this.between(registered + 30, end - 1);
        p.ids = [
          { kind: current.kind, value: this.newIdentifier(p.country, current.kind, wrongBirth, p.sex), to: on },
          { kind: current.kind, value: current.value, from: on },
        ];
        changed.set(p.row.id, { old: p.ids[0]!.value, until: on });
        this.event('IDENTIFIER_CHANGE', p, on, { previous: p.ids[0]!.value, reason: 'CORRECTED_BIRTH_DATE' });
      } else if (p.country === 'SE' && p.immigrant && current.kind === 'PERSONAL_IDENTITY_NUMBER' && roll < 0.25) {
        const from = this.between(Math.max(p.birth, registered - 3650), registered - 30);
        if (from >= registered || registered >= end) continue;
        p.ids = [
          { kind: 'COORDINATION_NUMBER', value: this.ids.personalIdentityNumber(p.birth, p.sex, true), from, to: registered },
          { kind: current.kind, value: current.value, from: registered },
        ];
        changed.set(p.row.id, { old: p.ids[0]!.value, until: registered });
        this.event('IDENTIFIER_CHANGE', p, registered, { previous: p.ids[0]!.value, reason: 'FOLKBOKFORD' });
      }
    }
    if (changed.size === 0) return;
    for (const e of this.out.events) {
      const change = e.person_id ? changed.get(e.person_id) : undefined;
      if (change && e.type !== 'RESERVE_IDENTITY_CHANGE' && e.occurred_at < timestampOn(change.until, 0)) e.identifier = change.old;
    }
  }

  /**
   * If a death removed the chunk's only marker of a kind, a living adult of that country gets it (and
   * loses any contact details, which protected persons never have). Skyddad folkbokföring is given
   * with its household in `singleParent`, whose members do not die.
   */
  private everyProtectionKind(): void {
    const present = new Set(this.out.markers.filter((m) => !m.valid_to).map((m) => m.kind));
    for (const kind of PROTECTION_KINDS) {
      if (present.has(kind) || kind === 'SE_PROTECTED_REGISTRATION') continue;
      const country: Country = kind.startsWith('SE_') ? 'SE' : 'DK';
      const p = this.people.find((q) => q.country === country && q.row.status === 'ACTIVE' && q.protection.size === 0 && ageAt(q.birth, REFERENCE_DAY) >= 18);
      if (!p) continue;
      this.protect(p, kind, this.between(Math.max(plusYears(p.birth, 18), day('2000-01-01')), REFERENCE_DAY - 1));
      this.out.contacts = this.out.contacts.filter((c) => c.person_id !== p.row.id);
    }
  }

  /** Protection and some events were drawn before a death was decided: nothing may postdate the death. */
  private nothingAfterDeath(): void {
    const deaths = new Map<string, string>();
    for (const p of this.people) if (p.death !== undefined) deaths.set(p.row.id, iso(p.death));
    if (deaths.size === 0) return;
    this.out.events = this.out.events.filter((e) => {
      const death = e.person_id ? deaths.get(e.person_id) : undefined;
      return death === undefined || e.type === 'DEATH' || e.occurred_at.slice(0, 10) <= death;
    });
    this.out.markers = this.out.markers.filter((m) => {
      const death = deaths.get(m.person_id);
      return death === undefined || m.valid_from <= death;
    });
  }

  private identifierAt(p: Person, on: number): string {
    for (const entry of p.ids) if (entry.to === undefined || on < entry.to) return entry.value;
    return p.ids[p.ids.length - 1]!.value;
  }

  private identifierRows(): void {
    for (const p of this.people) {
      for (const entry of p.ids) {
        this.out.identifiers.push({
          person_id: p.row.id,
          kind: entry.kind,
          value: entry.value,
          valid_from: entry.from !== undefined ? iso(entry.from) : p.row.registered_on,
          valid_to: entry.to !== undefined ? iso(entry.to) : undefined,
        });
      }
    }
  }

  // ─── Relations ───────────────────────────────────────────────────────────────────────────────

  /** A relation as both persons' registers state it: `a` sees `b` as `kindFromA`, and the reverse. */
  private relate(a: Person, kindFromA: RelationKind, b: Person, kindFromB: RelationKind, from: number, to?: number): RelationRow[] {
    const validFrom = iso(from);
    const validTo = to !== undefined && to < REFERENCE_DAY ? iso(to) : undefined;
    const rows: RelationRow[] = [
      { person_id: a.row.id, kind: kindFromA, relative_person_id: b.row.id, valid_from: validFrom, valid_to: validTo },
      { person_id: b.row.id, kind: kindFromB, relative_person_id: a.row.id, valid_from: validFrom, valid_to: validTo },
    ];
    this.out.relations.push(...rows);
    return rows;
  }

  private nameOnlyRelative(p: Person, kind: RelationKind, name: string, birth: number, from: number, to?: number): void {
    this.out.relations.push({
      person_id: p.row.id,
      kind,
      relative_name: name,
      relative_birth_date: iso(Math.max(birth, yearStart(1870))),
      valid_from: iso(from),
      valid_to: to !== undefined ? iso(to) : undefined,
    });
  }

  /** A few very old persons have a guardian (god man / værge) from another household of the chunk. */
  private guardianships(): void {
    const rng = this.rng;
    const alive = (p: Person) => p.row.status === 'ACTIVE' && p.protection.size === 0;
    const elderly = this.people.filter((p) => alive(p) && ageAt(p.birth, REFERENCE_DAY) >= 80);
    const guardians = this.people.filter(
      (p) => alive(p) && p.row.civil_status !== 'UNMARRIED' && ageAt(p.birth, REFERENCE_DAY) >= 35 && ageAt(p.birth, REFERENCE_DAY) <= 70,
    );
    if (guardians.length === 0) return;
    let given = 0;
    for (const ward of elderly) {
      if (!(rng.chance(0.03) || (given === 0 && ward === elderly[elderly.length - 1]))) continue;
      let guardian = rng.pick(guardians);
      for (let tries = 0; tries < 5 && guardian.country !== ward.country; tries++) guardian = rng.pick(guardians);
      const from = this.between(Math.max(plusYears(ward.birth, 75), day('2005-01-01')), REFERENCE_DAY - 1);
      this.relate(ward, 'GUARDIAN', guardian, 'WARD', from);
      this.event('GUARDIANSHIP', ward, from, { action: 'APPOINTED' });
      given++;
    }
  }

  // ─── Protection ──────────────────────────────────────────────────────────────────────────────

  /**
   * About 1% of persons carry a protection marker. The first eligible person of a chunk gets each kind
   * still missing from it, so every kind exists in any population of a few hundred.
   */
  private maybeProtect(p: Person): void {
    const rng = this.rng;
    const age = ageAt(p.birth, REFERENCE_DAY);
    if (age < 18) return;
    const kinds: ProtectionKind[] =
      p.country === 'SE' ? ['SE_CONFIDENTIALITY_MARKING'] : ['DK_NAME_AND_ADDRESS', 'DK_LOCAL_DIRECTORY', 'DK_MARKETING', 'DK_RESEARCH'];
    const rates: Record<string, number> = {
      SE_CONFIDENTIALITY_MARKING: 0.006,
      DK_NAME_AND_ADDRESS: 0.007,
      DK_LOCAL_DIRECTORY: 0.0015,
      DK_MARKETING: 0.0025,
      DK_RESEARCH: 0.001,
    };
    for (const kind of kinds) {
      if (this.kindsStillNeeded.has(kind) || rng.chance(rates[kind] ?? 0)) {
        this.protect(p, kind, this.between(Math.max(plusYears(p.birth, 18), day('2000-01-01')), REFERENCE_DAY - 1));
        return;
      }
    }
    // A few markers have ended (CPR SLET_DT; a lapsed address protection): history only.
    if (rng.chance(0.001)) {
      const from = this.between(Math.max(plusYears(p.birth, 18), day('2000-01-01')), REFERENCE_DAY - 800);
      const kind = p.country === 'SE' ? 'SE_CONFIDENTIALITY_MARKING' : 'DK_NAME_AND_ADDRESS';
      const to = from + 365;
      this.out.markers.push({ person_id: p.row.id, kind, valid_from: iso(from), valid_to: iso(to) });
      this.event('PROTECTION_CHANGE', p, from, { kind, action: 'ADDED' });
      this.event('PROTECTION_CHANGE', p, to, { kind, action: 'ENDED' });
    }
  }

  private protect(p: Person, kind: ProtectionKind, from: number): void {
    if (p.protection.has(kind)) return;
    p.protection.add(kind);
    this.kindsStillNeeded.delete(kind);
    const start = Math.max(from, p.birth);
    if (kind === 'SE_PROTECTED_REGISTRATION') p.protectedSince = start;
    this.out.markers.push({ person_id: p.row.id, kind, valid_from: iso(start) });
    this.event('PROTECTION_CHANGE', p, start, { kind, action: 'ADDED' });
  }

  // ─── Addresses and contact details ───────────────────────────────────────────────────────────

  /**
   * Writes the household's addresses: the registered address for every member from the move-in day
   * (or birth), the previous one as history, a foreign address for emigrants, and Skatteverket's
   * forwarding address (only) for skyddad folkbokföring. Then contact details.
   */
  private settle(home: Household): void {
    const rng = this.rng;
    if (!home.previous && rng.chance(0.35)) {
      const sameTown = rng.chance(0.5);
      home.previous = { residence: this.residence(home.country, sameTown ? home.residence.municipality_code : undefined), from: 0 };
    }
    for (const p of home.members) {
      if (p.protection.has('SE_PROTECTED_REGISTRATION')) {
        this.protectedRegistrationAddress(p);
        continue;
      }
      const moveIn = Math.max(home.moveIn, p.birth);
      const end = p.death ?? (p.row.status !== 'ACTIVE' && p.row.status_date ? day(p.row.status_date) : undefined);
      let movedFrom: string | undefined;
      if (home.previous && !home.returnedFrom && moveIn > p.birth + 365) {
        const from = Math.max(p.birth, home.previous.from || moveIn - rng.between(365, 5475));
        if (from < moveIn) {
          this.addressRow(p, 'REGISTERED', home.previous.residence, from, moveIn);
          movedFrom = home.previous.residence.municipality_code;
        }
      }
      if (home.returnedFrom && moveIn > p.birth) {
        const abroad = this.foreignResidence(home.returnedFrom);
        const left = Math.max(p.birth, moveIn - rng.between(365, 3650));
        this.addressRow(p, 'FOREIGN', { ...abroad, emigration_date: iso(left) }, left, moveIn);
        if (moveIn >= EVENT_LOG_START) this.event('IMMIGRATION', p, moveIn, { fromCountry: abroad.country_code }, undefined, home.residence.municipality_code);
      }
      if (end === undefined || end > moveIn) {
        const row = this.addressRow(p, 'REGISTERED', home.residence, moveIn, end);
        if (end === undefined) p.address = row;
        if (moveIn >= EVENT_LOG_START && moveIn > p.birth && !home.returnedFrom) {
          this.event('MOVE', p, moveIn, { addressKind: 'REGISTERED' }, movedFrom, home.residence.municipality_code);
        }
      }
      if (p.row.status === 'EMIGRATED' && end !== undefined) {
        const abroad = this.foreignResidence(this.rng.pick(FOREIGN_PLACES).country);
        this.addressRow(p, 'FOREIGN', { ...abroad, emigration_date: iso(end) }, end);
        this.event('EMIGRATION', p, end, { country: abroad.country_code }, home.residence.municipality_code);
      }
      if (p.row.status === 'DISAPPEARED' && end !== undefined) this.event('DISAPPEARANCE', p, end, {}, home.residence.municipality_code);
      if (end === undefined && p.row.status === 'ACTIVE' && rng.chance(0.012)) this.specialPostalAddress(p);
      this.contactDetails(p);
    }
  }

  private addressRow(p: Person, kind: AddressRow['kind'], where: Residence, from: number, to?: number): AddressRow {
    const row: AddressRow = {
      ...where,
      person_id: p.row.id,
      kind,
      valid_from: iso(from),
      valid_to: to !== undefined && to < REFERENCE_DAY ? iso(to) : undefined,
    };
    this.out.addresses.push(row);
    return row;
  }

  /** Skyddad folkbokföring: no street address at all, only Skatteverket's forwarding address. */
  private protectedRegistrationAddress(p: Person): void {
    if (p.death !== undefined) return;
    this.out.addresses.push({
      person_id: p.row.id,
      kind: 'SPECIAL_POSTAL',
      country_code: 'SE',
      delivery_lines: [...SKATTEVERKET_FORWARDING.deliveryLines],
      postal_code: SKATTEVERKET_FORWARDING.postalCode,
      postal_district: SKATTEVERKET_FORWARDING.postalDistrict,
      valid_from: iso(p.protectedSince ?? p.birth),
    });
  }

  /** A särskild postadress / CPR kontaktadresse: post to a relative or a box. */
  private specialPostalAddress(p: Person): void {
    const earliest = Math.max(plusYears(p.birth, 16), day('2010-01-01'));
    if (earliest >= REFERENCE_DAY - 1) return;
    const where = this.residence(p.country);
    const from = this.between(earliest, REFERENCE_DAY - 1);
    this.addressRow(p, 'SPECIAL_POSTAL', { ...where, care_of: `c/o ${this.fullName(p.country, null, this.rng.chance(0.5) ? 'MALE' : 'FEMALE')}` }, from);
  }

  /** Contact details for about a third of living, unprotected persons of 16 and over. */
  private contactDetails(p: Person): void {
    const rng = this.rng;
    if (p.row.status === 'DECEASED' || p.row.status === 'DISAPPEARED' || p.protection.size > 0 || ageAt(p.birth, REFERENCE_DAY) < 16 || !rng.chance(0.35))
      return;
    // The search key is already folded: its first word is the first given name, its last the family name.
    const words = p.name.search_key.split(' ');
    const given = words[0]!.replace(/[^a-z]/g, '');
    const family = words[words.length - 1]!.replace(/[^a-z]/g, '');
    const updated = this.between(day('2018-01-01'), REFERENCE_DAY - 1);
    const version = rng.chance(0.15) ? rng.between(2, 4) : 1;
    const language = LANGUAGE_BY_CITIZENSHIP[rng.chance(0.9) ? (p.row.citizenships[0] ?? p.country) : 'GB'] ?? 'en';
    this.out.contacts.push({
      person_id: p.row.id,
      // Only PTS's fictional Swedish range: no real subscriber is ever seeded. Denmark has no such range.
      phone: p.country === 'SE' && rng.chance(0.8) ? `+${FICTIONAL_SE_MOBILE_FIRST + rng.int(FICTIONAL_SE_MOBILE_COUNT)}` : undefined,
      email: rng.chance(0.85) ? `${given}.${family}${rng.int(100)}@example.${rng.pick(['com', 'net', 'org'])}` : undefined,
      preferred_language: language,
      version,
      updated_at: timestampOn(updated, rng.between(420, 1260)),
    });
    if (version > 1 && updated >= EVENT_LOG_START) this.event('CONTACT_DETAILS_CHANGE', p, updated, { fields: ['phone', 'email'] });
  }

  private residence(country: Country, municipality?: string): Residence {
    return country === 'SE' ? this.swedishResidence(municipality) : this.danishResidence(municipality);
  }

  private swedishResidence(municipality?: string): Residence {
    const rng = this.rng;
    const code = municipality ?? pickWeighted(rng, SWEDISH_CODES, SWEDISH_WEIGHTS);
    const postal = SWEDISH_POSTAL[code]!;
    const street = rng.pick(SWEDISH_STREETS);
    const number = `${rng.between(1, 120)}${rng.chance(0.08) ? rng.pick(['A', 'B', 'C']) : ''}`;
    const flat = rng.chance(0.6) ? ` LGH ${rng.between(10, 16)}${String(rng.between(1, 4)).padStart(2, '0')}` : '';
    return {
      country_code: 'SE',
      municipality_code: code,
      county_code: municipalityByCode(code)?.countyCode ?? undefined,
      street_name: street,
      house_number: number,
      postal_code: `${rng.pick(postal.areas)} ${String(rng.int(100)).padStart(2, '0')}`,
      postal_district: postal.district,
      care_of: rng.chance(0.02) ? `c/o ${this.fullName('SE', null, rng.chance(0.5) ? 'MALE' : 'FEMALE')}` : undefined,
      delivery_lines: [`${street} ${number}${flat}`],
    };
  }

  private danishResidence(municipality?: string): Residence {
    const rng = this.rng;
    const code = municipality ?? pickWeighted(rng, DANISH_CODES, DANISH_WEIGHTS);
    const [postalCode, district] = rng.pick(DANISH_POSTAL[code]!.districts);
    const streetIndex = rng.int(DANISH_STREETS.length);
    const street = DANISH_STREETS[streetIndex]!;
    // VEJKOD is unique per street within a municipality: derive it from both.
    const roadCode = String((((streetIndex * 37 + hash32(code)) % 980) + 1) * 10).padStart(4, '0');
    const number = `${rng.between(1, 140)}${rng.chance(0.08) ? rng.pick(['A', 'B', 'C']) : ''}`;
    const flat = rng.chance(0.55);
    const floor = flat ? rng.pick(['st', 'st', '1', '1', '2', '2', '3', '3', '4', '5', 'kl']) : undefined;
    const side = flat ? rng.pick(['th', 'tv', 'th', 'tv', 'mf', '1', '2']) : undefined;
    const floorText = floor === undefined ? '' : `, ${floor}.${side ? ` ${side}` : ''}`;
    return {
      country_code: 'DK',
      municipality_code: code,
      county_code: municipalityByCode(code)?.countyCode ?? undefined,
      road_code: roadCode,
      street_name: street,
      house_number: number,
      floor,
      side_door: side,
      postal_code: postalCode,
      postal_district: district,
      care_of: rng.chance(0.01) ? `c/o ${this.fullName('DK', null, rng.chance(0.5) ? 'MALE' : 'FEMALE')}` : undefined,
      standard_address_line: `${street} ${number}${floorText}`,
    };
  }

  private foreignResidence(country: string): Residence {
    const places = FOREIGN_PLACES.filter((p) => p.country === country);
    const place = places.length > 0 ? this.rng.pick(places) : this.rng.pick(FOREIGN_PLACES);
    return {
      country_code: place.country,
      delivery_lines: [`${place.street} ${this.rng.between(1, 90)}`, place.town, COUNTRY_NAMES[place.country] ?? place.country],
    };
  }

  // ─── Reserve identities ──────────────────────────────────────────────────────────────────────

  /**
   * About one reserve identity per 100 persons: national (NRID) or regional (SLL, VGR). About half
   * belong to a registered person and are linked to the personnummer; a few regional ones are linked
   * to a national one, and a few links were undone.
   */
  private reserveIdentities(): void {
    const rng = this.rng;
    const count = Math.max(this.size >= 200 ? 4 : 0, Math.round(this.size / 100));
    const linkable = this.people.filter((p) => p.country === 'SE' && p.row.status === 'ACTIVE' && p.ids[p.ids.length - 1]!.kind === 'PERSONAL_IDENTITY_NUMBER');
    const nationals: { id: string; value: string }[] = [];
    for (let i = 0; i < count; i++) {
      const kind = i % 4 === 0 || i % 4 === 1 ? 'NATIONAL_RESERVE_ID' : 'LOCAL_RESERVE_ID';
      const region = kind === 'LOCAL_RESERVE_ID' ? (i % 4 === 2 ? 'SLL' : 'VGR') : undefined;
      const person = linkable.length > 0 && (i % 2 === 0 || rng.chance(0.1)) ? rng.pick(linkable) : undefined;
      const issued = this.between(Math.max(day('2012-01-01'), person ? person.birth : 0), REFERENCE_DAY - 2);
      const sex: Sex | undefined = person ? person.sex : rng.chance(0.85) ? (rng.chance(0.5) ? 'MALE' : 'FEMALE') : undefined;
      const knownBirth = person ? person.birth : rng.chance(0.8) ? this.between(yearStart(1935), REFERENCE_DAY - 30) : undefined;
      const value =
        kind === 'NATIONAL_RESERVE_ID'
          ? this.ids.nationalReserveId(knownBirth ?? null, sex ?? null)
          : region === 'SLL'
            ? this.ids.localReserveIdSll(yearOf(issued))
            : this.ids.localReserveIdVgr(knownBirth ?? this.between(yearStart(1940), REFERENCE_DAY - 60), sex ?? null);
      // A VGR id always carries a birth date (possibly moved a day when that day's serials ran out).
      const birthDate =
        region === 'VGR' ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : knownBirth !== undefined ? iso(knownBirth) : undefined;
      const origin = person ? null : rng.chance(0.5) ? rng.pick(FOREIGN_PERSONS) : null;
      // What the patient stated; a protected person's address is not copied around.
      const stated = person && person.protection.size === 0 ? this.statedAddressOf(person) : undefined;
      const id = rng.uuid();
      const issuedMinute = rng.between(420, 1000);
      const linkedOn = Math.min(issued + rng.between(0, 60), REFERENCE_DAY - 1);
      this.out.reserveIdentities.push({
        id,
        kind,
        region,
        value,
        given_names: person ? person.name.given_names : rng.chance(0.7) ? this.givenNames('SE', origin, sex ?? 'FEMALE') : undefined,
        family_name: person ? person.name.family_name : rng.chance(0.7) ? this.familyName('SE', origin) : undefined,
        birth_date: birthDate,
        sex: sex ?? 'UNKNOWN',
        stated_address: stated?.street,
        stated_postal_code: stated?.postalCode,
        stated_city: stated?.city,
        stated_country: person ? 'SE' : origin ? origin.citizenship : undefined,
        issued_by: region === 'SLL' ? 'Region Stockholm' : region === 'VGR' ? 'Västra Götalandsregionen' : rng.pick(RESERVE_ISSUERS),
        // Recorded when issued; updated again when linked to the person.
        updated_at: timestampOn(person ? linkedOn : issued, issuedMinute + (person ? 60 : 0)),
        recorded_at: timestampOn(issued, issuedMinute),
      });
      if (kind === 'NATIONAL_RESERVE_ID') nationals.push({ id, value });
      if (person) {
        const pnr = person.ids[person.ids.length - 1]!.value;
        if (rng.chance(0.06)) {
          // Linked to the wrong person first, then corrected.
          const wrong = rng.pick(linkable);
          this.out.reserveLinks.push({
            reserve_identity_id: id,
            target_kind: 'PERSONAL_IDENTITY_NUMBER',
            target_value: wrong.ids[wrong.ids.length - 1]!.value,
            target_person_id: wrong.row.id,
            linked_at: timestampOn(issued, issuedMinute + 30),
            unlinked_at: timestampOn(linkedOn, issuedMinute + 50),
          });
        }
        this.out.reserveLinks.push({
          reserve_identity_id: id,
          target_kind: 'PERSONAL_IDENTITY_NUMBER',
          target_value: pnr,
          target_person_id: person.row.id,
          linked_at: timestampOn(linkedOn, issuedMinute + 60),
        });
        this.event('RESERVE_IDENTITY_CHANGE', person, linkedOn, { action: 'LINKED', reserveIdentityKind: kind }, undefined, undefined, value);
      } else if (kind === 'LOCAL_RESERVE_ID' && nationals.length > 0 && rng.chance(0.25)) {
        const target = rng.pick(nationals);
        this.out.reserveLinks.push({
          reserve_identity_id: id,
          target_kind: 'NATIONAL_RESERVE_ID',
          target_value: target.value,
          linked_at: timestampOn(linkedOn, issuedMinute + 60),
        });
      } else if (issued >= EVENT_LOG_START) {
        this.rawEvent('RESERVE_IDENTITY_CHANGE', undefined, value, issued, knownBirth, { action: 'ISSUED', reserveIdentityKind: kind });
      }
    }
  }

  private statedAddressOf(p: Person): { street: string; postalCode?: string; city?: string } | undefined {
    const registered = p.address;
    if (!registered) return undefined;
    return { street: registered.delivery_lines?.[0] ?? registered.street_name ?? '', postalCode: registered.postal_code, city: registered.postal_district };
  }

  // ─── Events ──────────────────────────────────────────────────────────────────────────────────

  /** A change event about `p`; the identifier is the one the person had on that day. */
  private event(type: ChangeEventType, p: Person, on: number, details: Record<string, unknown>, before?: string, after?: string, identifier?: string): void {
    if (on >= REFERENCE_DAY) return;
    // Moves of persons with skyddad folkbokföring must not reveal where they went.
    const hidden = p.protection.has('SE_PROTECTED_REGISTRATION');
    this.rawEvent(type, p.row.id, identifier ?? this.identifierAt(p, on), on, p.birth, details, hidden ? undefined : before, hidden ? undefined : after);
  }

  private rawEvent(
    type: ChangeEventType,
    personId: string | undefined,
    identifier: string,
    on: number,
    birth: number | undefined,
    details: Record<string, unknown>,
    before?: string,
    after?: string,
  ): void {
    // Office hours, spread by a running counter so events of one day keep a stable order.
    const minute = 420 + ((this.eventMinute += 7) % 660);
    // The register learns of a change days after it took effect (a move is reported within a week or
    // so): the day folkreg recorded it, always visible, must not repeat the day it took effect, which is
    // masked like the fact it dates (a move's address validFrom).
    const recordedOn = Math.min(on + this.reporting.between(0, MAX_REPORTING_DAYS), REFERENCE_DAY - 1);
    this.out.events.push({
      type,
      person_id: personId,
      identifier,
      occurred_at: timestampOn(on, minute),
      recorded_at: timestampOn(Math.max(on, recordedOn), minute + 3),
      municipality_before: before,
      municipality_after: after,
      birth_date: birth !== undefined ? iso(birth) : undefined,
      details,
    });
  }

  // ─── Dates ───────────────────────────────────────────────────────────────────────────────────

  /** Uniform day in [from, to]; `from` when the range is empty. */
  private between(from: number, to: number): number {
    return to <= from ? from : this.rng.between(from, to);
  }

  private birthIn(fromYear: number, toYear: number): number {
    return this.between(yearStart(fromYear), Math.min(yearStart(toYear + 1) - 1, REFERENCE_DAY - 1));
  }

  /** A birth day within ± `years` of `birth`, not after yesterday. */
  private near(birth: number, years: number): number {
    return Math.max(yearStart(FIRST_BIRTH_YEAR), Math.min(birth + this.rng.between(-years * 365, years * 365), REFERENCE_DAY - 1));
  }

  /** A partner's birth day: near `birth`, and old enough to have formed a couple (21 by the reference day). */
  private partnerBirth(birth: number, years: number): number {
    return Math.min(this.near(birth, years), plusYears(REFERENCE_DAY, -21));
  }

  /** When adults moved to their current home: after they came of age and around `after`, before the reference day. */
  private moveIn(adults: Person[], after: number): number {
    const adult = Math.max(...adults.map((p) => plusYears(p.birth, 18)));
    const from = Math.min(Math.max(adult, after), REFERENCE_DAY - 2);
    return this.between(from, REFERENCE_DAY - 1);
  }
}

/** The large family's wives: birth year, number of children and the years they were born in. */
const LARGE_FAMILY_WIVES = [
  { born: 1958, kids: 9, from: 1980, to: 1989 },
  { born: 1965, kids: 9, from: 1990, to: 1999 },
  { born: 1975, kids: 8, from: 2000, to: 2009 },
  { born: 1985, kids: 10, from: 2010, to: 2025 },
] as const;
/** Father, wives and children. */
const LARGE_FAMILY_SIZE = 1 + LARGE_FAMILY_WIVES.length + LARGE_FAMILY_WIVES.reduce((n, w) => n + w.kids, 0);

const SWEDISH_CODES = Object.keys(SWEDISH_POSTAL);
const SWEDISH_WEIGHTS = cumulative(SWEDISH_CODES.map((c) => SWEDISH_POSTAL[c]!.weight));
const DANISH_CODES = Object.keys(DANISH_POSTAL);
const DANISH_WEIGHTS = cumulative(DANISH_CODES.map((c) => DANISH_POSTAL[c]!.weight));

function cumulative(weights: number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

function pickWeighted(rng: Random, codes: string[], cumulativeWeights: number[]): string {
  const r = rng.next() * cumulativeWeights[cumulativeWeights.length - 1]!;
  let lo = 0;
  let hi = cumulativeWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulativeWeights[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return codes[lo]!;
}
