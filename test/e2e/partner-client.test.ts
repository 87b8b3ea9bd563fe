import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustedDocuments } from '../../gateway/trusted-documents.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import config from '../partner-client/codegen.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, relate } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * The partner's path, end to end: generate a typed client from `schema/api.graphql` with GraphQL
 * Code Generator, type-check the partner's code against it, register the generated persisted
 * documents as trusted, and run the client against the gateway.
 */
let database: TestDatabase;
let stack: TestStack;

beforeAll(async () => {
  await generate(config, true);
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await database?.dispose();
});

describe('a partner client generated from the published contract', () => {
  it('type-checks against the generated types', () => {
    const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
    const run = () => execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'test/partner-client/tsconfig.json'], { encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it('runs its registered documents through a gateway that accepts only those from it', async () => {
    database = await createTestDatabase();
    const anna = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
    const erik = await insertPerson(database.db, { identifier: '198211059954', givenNames: 'Erik', familyName: 'Åberg' });
    await relate(database.db, anna.id, 'SPOUSE', erik);
    await relate(database.db, anna.id, 'MOTHER', { name: 'Karin Lind', birthDate: '1890-04-02' });
    const manifest = JSON.parse(readFileSync('test/partner-client/gql/persisted-documents.json', 'utf8')) as Record<string, string>;
    stack = await startTestStack(database.db, {
      trustedDocuments: new TrustedDocuments({ documents: new Map(Object.entries(manifest)), enforcedFor: new Set(['partner-app']) }),
    });
    const token = await stack.issue({ scope: 'folkreg:read', sub: 'partner', client: 'partner-app' });
    // A path in a variable: the main type-check must not follow it into code generated at test time.
    const clientPath = '../partner-client/src/client.js';
    const client = (await import(clientPath)) as {
      familyNames(url: string, token: string, identifier: string): Promise<string[]>;
      addressingNames(url: string, token: string, identifiers: string[]): Promise<Record<string, string>>;
    };
    expect(await client.familyNames(stack.gateway.url, token, anna.identifier)).toEqual(['Åberg, Erik', 'Karin Lind']);
    const unknown = personalIdentityNumber({ birthDate: '2000-01-01', serial: 123 });
    expect(await client.addressingNames(stack.gateway.url, token, [anna.identifier, '19121212-1213', unknown])).toEqual({
      [anna.identifier]: 'Östlund, Anna',
      '19121212-1213': 'invalid: CHECK_DIGIT',
      [unknown]: 'not found',
    });
  });
});
