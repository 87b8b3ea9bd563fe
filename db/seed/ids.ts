/**
 * Hands out unique identifiers for the seed, built by the project's identifier module so that every
 * seeded number parses back as its kind. Uniqueness: each (kind, birth date, sex) has its own counter,
 * and the k-th number of a counter takes serial `(start + 7k) mod n`: distinct for k < n (7 is coprime
 * with every n used), scattered by a seed-dependent start so serials do not all begin at 001.
 */
import { cprNumber, localReserveIdSll, localReserveIdVgr, nationalReserveIdFor, NRID_LETTERS, personalIdentityNumber } from '../../kernel/identifiers.js';
import { iso } from './dates.js';
import { hash32 } from './random.js';
import type { Sex } from './rows.js';

/** What the population generator needs: one new, unused identifier per call. */
export interface IdentifierSource {
  /** Personnummer, or samordningsnummer when `coordination`. */
  personalIdentityNumber(birth: number, sex: Sex, coordination: boolean): string;
  cprNumber(birth: number, sex: Sex): string;
  /** NRID; `birth` null gives the unknown-birth-date form (XX = 00). */
  nationalReserveId(birth: number | null, sex: Sex | null): string;
  localReserveIdSll(year: number): string;
  /** VGR reserve ID; when the birth day's serials are used up the next day is taken, so read the date back from the value. */
  localReserveIdVgr(birth: number, sex: Sex | null): string;
}

/** Pairs of NRID letters: 21 × 21. */
const NRID_PAIRS = NRID_LETTERS.length * NRID_LETTERS.length;

export class IdentifierAllocator implements IdentifierSource {
  private readonly counters = new Map<string, number>();

  constructor(private readonly seed: number) {}

  /** The k-th serial of counter `key` among `n`, or null when the counter is exhausted. */
  private serial(key: string, n: number): number | null {
    const k = this.counters.get(key) ?? 0;
    if (k >= n) return null;
    this.counters.set(key, k + 1);
    const start = hash32(`${this.seed}:${key}`) % n;
    return (start + 7 * k) % n;
  }

  personalIdentityNumber(birth: number, sex: Sex, coordination: boolean): string {
    // Birth numbers 001–999, parity = sex (odd male); 000 is never issued: 500 male, 499 female.
    const count = sex === 'MALE' ? 500 : 499;
    const index = this.serial(`${coordination ? 'SNR' : 'PNR'}:${birth}:${sex}`, count);
    if (index === null)
      throw new Error(`No ${coordination ? 'samordningsnummer' : 'personnummer'} serials left for ${iso(birth)} ${sex}: population too large`);
    return personalIdentityNumber({ birthDate: iso(birth), serial: sex === 'MALE' ? 2 * index + 1 : 2 * index + 2, coordination });
  }

  cprNumber(birth: number, sex: Sex): string {
    const serial = this.serial(`CPR:${birth}:${sex}`, 1000);
    if (serial === null) throw new Error(`No CPR serials left for ${iso(birth)} ${sex}: population too large`);
    return cprNumber({ birthDate: iso(birth), serial, sex });
  }

  nationalReserveId(birth: number | null, sex: Sex | null): string {
    if (birth === null) {
      // Unknown birth date: the date part is a running serial YYMMDD with MM 20–99 and DD 40–59.
      const k = this.serial('NRID:unknown', 100 * 80 * 20);
      if (k === null) throw new Error('No NRID serials left for unknown birth dates');
      const yy = k % 100;
      const mm = 20 + (Math.floor(k / 100) % 80);
      const dd = 40 + Math.floor(k / 8000);
      const dateSerial = `${pad2(yy)}${pad2(mm)}${pad2(dd)}`;
      return nationalReserveIdFor({
        birthDate: null,
        sex,
        serialLetters: letterPair(k % NRID_PAIRS),
        serialIndex: sex === null ? k % NRID_LETTERS.length : k % 5,
        dateSerial,
      });
    }
    // Known date: letter pair × sex character (5 digits of the sex's parity, or 21 letters when unknown).
    const perPair = sex === null ? NRID_LETTERS.length : 5;
    const k = this.serial(`NRID:${birth}:${sex ?? 'X'}`, NRID_PAIRS * perPair);
    if (k === null) throw new Error(`No NRID serials left for ${iso(birth)}`);
    return nationalReserveIdFor({ birthDate: iso(birth), sex, serialLetters: letterPair(k % NRID_PAIRS), serialIndex: Math.floor(k / NRID_PAIRS) });
  }

  localReserveIdSll(year: number): string {
    const serial = this.serial(`SLL:${year}`, 100_000);
    if (serial === null) throw new Error(`No SLL reserve-ID serials left for ${year}`);
    return localReserveIdSll(year, serial);
  }

  localReserveIdVgr(birth: number, sex: Sex | null): string {
    const count = sex === null ? 10 : 37;
    for (let b = birth; b < birth + 366; b++) {
      const n = this.serial(`VGR:${b}:${sex ?? 'X'}`, count);
      if (n !== null) return localReserveIdVgr(iso(b), sex, n);
    }
    throw new Error(`No VGR reserve-ID serials left near ${iso(birth)}`);
  }
}

function letterPair(index: number): string {
  return NRID_LETTERS[Math.floor(index / NRID_LETTERS.length)]! + NRID_LETTERS[index % NRID_LETTERS.length]!;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
