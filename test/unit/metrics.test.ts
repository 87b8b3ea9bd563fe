import { describe, expect, it } from 'vitest';
import { BoundedLabel, OTHER_LABEL, SAFE_NAME } from '../../kernel/metrics.js';

describe('BoundedLabel', () => {
  it('admits the known values, then the first `max` others, then answers `other`', () => {
    const label = new BoundedLabel(2, ['Registered']);
    expect(['Registered', 'A', 'B', 'C', 'A', 'Registered'].map((v) => label.of(v))).toEqual(['Registered', 'A', 'B', OTHER_LABEL, 'A', 'Registered']);
  });

  it('never admits a value that is not a safe name, even with room left', () => {
    const label = new BoundedLabel(10, ['Lookup191212121212']);
    expect(label.of('Lookup191212121212')).toBe(OTHER_LABEL);
    expect(label.of('Person__person__0')).toBe('Person__person__0');
  });
});

describe('SAFE_NAME', () => {
  it.each([
    ['PersonLookup', true],
    ['Person__address__1', true],
    ['Lookup1990', false], // a year, a personal number, a CPR number: four digits in a row
    ['Who_0101901234', false],
    ['has space', false],
    ['x'.repeat(65), false],
  ])('%s → %s', (name, safe) => {
    expect(SAFE_NAME.test(name)).toBe(safe);
  });
});
