import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaPath } from '../../schema/compose.js';
import { ROOT_FIELDS } from '../support/root-fields.js';

/** "Keeping the register current" shows one example per register write: each is valid against the API schema. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.split('## Keeping the register current\n')[1]?.split('\n## ')[0] ?? '';
const examples = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').filter(Boolean));
const registerWrites = Object.entries(ROOT_FIELDS)
  .filter(([, f]) => f.scopes.flat().includes('register:write'))
  .map(([coordinate]) => coordinate.replace('Mutation.', ''));

describe('README: keeping the register current', () => {
  const schema = buildSchema(readFileSync(apiSchemaPath, 'utf8'));

  it.each(examples)('%s validates against the API schema', (example) => {
    expect(validate(schema, parse(example)).map((e) => e.message)).toEqual([]);
  });

  it('shows every register:write mutation, in the table and in an example', () => {
    expect(registerWrites.length).toBeGreaterThan(0);
    for (const field of registerWrites) {
      expect(section).toContain(`| \`${field}(`);
      expect(examples.some((e) => e.includes(` ${field}(`))).toBe(true);
    }
  });
});
