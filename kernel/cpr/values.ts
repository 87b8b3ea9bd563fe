/**
 * CPR's value notations, read and written: dates (`YYYY-MM-DD`, or `YYYYMMDDHHmm` in 12-digit numeric
 * fields; all zeros or blanks mean none) and the uncertainty marker (`*` = uncertain).
 */

/** A calendar date YYYY-MM-DD, with the hour and minute when CPR gave them (12-digit fields). */
export interface CprDateTime {
  readonly date: string;
  /** `HH:mm` from a 12-digit value (`00:00` when CPR wrote 0000); null for a 10- or 8-character date. */
  readonly time: string | null;
}

function realDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * A date field's value → `{ date, time }`, null for none (blank, all zeros), or `undefined` when it is not a
 * date at all (the caller reports BAD_DATE). Accepts `YYYY-MM-DD`, `YYYYMMDD` and `YYYYMMDDHHmm`.
 */
export function parseCprDate(value: string): CprDateTime | null | undefined {
  const v = value.trim();
  if (v === '' || /^0+$/.test(v) || v === '0000-00-00') return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  let time: string | null = null;
  if (!m) {
    m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2}))?$/.exec(v);
    if (!m) return undefined;
    if (m[4] !== undefined) {
      if (Number(m[4]) > 23 || Number(m[5]) > 59) return undefined;
      time = `${m[4]}:${m[5]}`;
    }
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDate(year, month, day)) return undefined;
  return { date: `${m[1]}-${m[2]}-${m[3]}`, time };
}

/** A date (YYYY-MM-DD, optionally with `HH:mm`) in the 10-character notation, `YYYY-MM-DD`. */
export function cprDate10(date: string | null | undefined): string {
  return date ? date.slice(0, 10) : '';
}

/** A date (YYYY-MM-DD) and optional time (HH:mm) in the 12-digit notation `YYYYMMDDHHmm`; none → 12 zeros. */
export function cprDate12(date: string | null | undefined, time?: string | null): string {
  if (!date) return '000000000000';
  return `${date.slice(0, 10).replaceAll('-', '')}${(time ?? '00:00').replace(':', '')}`;
}

/** A date in the 8-digit notation `YYYYMMDD` (000 start record's PRODDTO, PRODDTOFORRIG). */
export function cprDate8(date: string | null | undefined): string {
  return date ? date.slice(0, 10).replaceAll('-', '') : '00000000';
}

/** The uncertainty marker: `*` = the preceding date is uncertain. */
export function isUncertain(marker: string): boolean {
  return marker.trim() === '*';
}
