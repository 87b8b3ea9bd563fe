import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSchema, changelogPath, releasedSchemaPath } from '../../schema/check.js';
import { apiSchemaPath } from '../../schema/compose.js';

const released = `
  "Q" type Query { "p" person(id: ID!): Person }
  "P" type Person { "n" name: String "s" sex: Sex! "b" birthDate: String }
  "S" enum Sex { "m" MALE "f" FEMALE }`;

describe('schema:check', () => {
  it('the current contract has no unacknowledged breaking change against the released one', async () => {
    const result = await checkSchema(readFileSync(releasedSchemaPath, 'utf8'), readFileSync(apiSchemaPath, 'utf8'), readFileSync(changelogPath, 'utf8'));
    expect(result.unacknowledged.map((c) => `${c.path}: ${c.message}`)).toEqual([]);
  });

  it('classifies changes: a removed field is breaking, an added enum value dangerous, a new field safe', async () => {
    const current = released.replace('"b" birthDate: String', '"c" citizenships: [String!]').replace('"f" FEMALE', '"f" FEMALE "u" UNKNOWN');
    const result = await checkSchema(released, current, '');
    expect(result.breaking.map((c) => c.path)).toEqual(['Person.birthDate']);
    expect(result.dangerous.map((c) => c.path)).toEqual(['Sex.UNKNOWN']);
    expect(result.safe.map((c) => c.path)).toContain('Person.citizenships');
    expect(result.unacknowledged.map((c) => c.path)).toEqual(['Person.birthDate']);
  });

  it('a breaking change passes once the changelog acknowledges it under Unreleased, not under a release', async () => {
    const current = released.replace('"s" sex: Sex!', '"s" sex: Sex');
    const unreleased = '# Changelog\n\n## Unreleased\n\n- Breaking: `Person.sex` can be null now (masked).\n\n## 0.1.0\n';
    const old = '# Changelog\n\n## Unreleased\n\n## 0.1.0\n\n- `Person.sex` was made required.\n';
    expect((await checkSchema(released, current, unreleased)).unacknowledged).toEqual([]);
    expect((await checkSchema(released, current, old)).unacknowledged.map((c) => c.path)).toEqual(['Person.sex']);
  });
});
