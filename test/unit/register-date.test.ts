import { describe, expect, it } from 'vitest';
import { markerInForce, markersInForce } from '../../kernel/protection.js';
import { REGISTER_TIME_ZONE, registerDate } from '../../kernel/register-date.js';

describe('registerDate: the calendar date in the register’s time zone', () => {
  it.each([
    ['winter, 23:59 local', '2026-01-15T22:59:59Z', '2026-01-15'],
    ['winter, 00:00 local (UTC still the day before)', '2026-01-15T23:00:00Z', '2026-01-16'],
    ['summer, 23:59 local', '2026-06-15T21:59:59Z', '2026-06-15'],
    ['summer, 00:00 local (UTC still the day before)', '2026-06-15T22:00:00Z', '2026-06-16'],
    ['new year, 00:30 local', '2026-12-31T23:30:00Z', '2027-01-01'],
  ])('%s', (_, instant, date) => {
    expect(registerDate(new Date(instant))).toBe(date);
  });

  it('Stockholm and Copenhagen have the same date at every hour of a year, so one zone serves both registers', () => {
    expect(REGISTER_TIME_ZONE).toBe('Europe/Stockholm');
    const copenhagen = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });
    const differing: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 15 * 60_000) {
      const at = new Date(t);
      if (registerDate(at) !== copenhagen.format(at)) differing.push(at.toISOString());
    }
    expect(differing).toEqual([]);
  });
});

describe('markerInForce: validFrom inclusive, validTo exclusive, null open', () => {
  it.each([
    [{ validFrom: null, validTo: null }, true],
    [{ validFrom: '2026-06-15', validTo: null }, true],
    [{ validFrom: '2026-06-16', validTo: null }, false],
    [{ validFrom: '2020-01-01', validTo: '2026-06-16' }, true],
    [{ validFrom: '2020-01-01', validTo: '2026-06-15' }, false],
    [{ validFrom: null, validTo: '2026-06-14' }, false],
  ])('%j on 2026-06-15 → %s', (marker, inForce) => {
    expect(markerInForce(marker, '2026-06-15')).toBe(inForce);
  });

  it('defaults to the register’s date now', () => {
    const today = registerDate();
    expect(
      markersInForce([
        { validFrom: today, validTo: null, kind: 'a' },
        { validFrom: null, validTo: today, kind: 'b' },
      ]).map((m) => m.kind),
    ).toEqual(['a']);
  });
});
