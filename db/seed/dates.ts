/**
 * Calendar dates for the seed as day numbers (days since 1970-01-01, UTC): cheap to compare and to
 * draw at random, turned into `YYYY-MM-DD` only when a row is written.
 */

/** The day the synthetic register "was extracted": every seeded fact happened before it. */
export const REFERENCE_DATE = '2026-01-01';
export const REFERENCE_DAY = day(REFERENCE_DATE);

/** Day number of an ISO date `YYYY-MM-DD`. */
export function day(isoDate: string): number {
  return fromCivil(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)), Number(isoDate.slice(8, 10)));
}

/**
 * Year, month (1–12) and day of a day number: Howard Hinnant's days-to-civil algorithm, much cheaper
 * than a Date when millions of dates are formatted.
 */
export function civil(dayNumber: number): { y: number; m: number; d: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Day number of a calendar date (inverse of `civil`). */
export function fromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Formatted dates are cached: the seed formats the same ~60,000 days millions of times. */
const isoCache = new Map<number, string>();

/** ISO date of a day number. */
export function iso(dayNumber: number): string {
  let text = isoCache.get(dayNumber);
  if (text === undefined) {
    const { y, m, d } = civil(dayNumber);
    text = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
    isoCache.set(dayNumber, text);
  }
  return text;
}

/** First day of a year. */
export function yearStart(year: number): number {
  return fromCivil(year, 1, 1);
}

export function yearOf(dayNumber: number): number {
  return civil(dayNumber).y;
}

/** The same calendar day `years` later (29 February → 1 March in common years). */
export function plusYears(dayNumber: number, years: number): number {
  const { y, m, d } = civil(dayNumber);
  const leap = (y + years) % 4 === 0 && ((y + years) % 100 !== 0 || (y + years) % 400 === 0);
  return m === 2 && d === 29 && !leap ? fromCivil(y + years, 3, 1) : fromCivil(y + years, m, d);
}

/** Completed years from `birth` to `at`. */
export function ageAt(birth: number, at: number): number {
  const b = civil(birth);
  const a = civil(at);
  return a.y - b.y - (a.m < b.m || (a.m === b.m && a.d < b.d) ? 1 : 0);
}

/** A timestamp on `dayNumber` at `minutes` past midnight UTC (under a day), as ISO 8601. */
export function timestampOn(dayNumber: number, minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const min = minutes % 60;
  return `${iso(dayNumber + Math.floor(minutes / 1440))}T${h < 10 ? '0' : ''}${h}:${min < 10 ? '0' : ''}${min}:00.000Z`;
}
