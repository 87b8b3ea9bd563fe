import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSchema, changelogPath, releasedSchemaPath, staleGeneratedFiles } from '../../schema/check.js';
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

  it('the changelog’s Unreleased names no coordinate the released contract already has', async () => {
    const result = await checkSchema(readFileSync(releasedSchemaPath, 'utf8'), readFileSync(apiSchemaPath, 'utf8'), readFileSync(changelogPath, 'utf8'));
    expect(result.unchangedMentions).toEqual([]);
  });

  it('the checked-in schema/ is what composing the subgraph SDLs gives', () => {
    expect(staleGeneratedFiles()).toEqual([]);
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

  it('Unreleased may name what changed (the field, its type, its arguments) but not what the release already had', async () => {
    const current = released.replace('"b" birthDate: String', '"b" birthDate: String "c" citizenships(first: Int): [String!]');
    const changelog = (lines: string) => `# Changelog\n\n## Unreleased\n\n${lines}\n\n## 0.1.0\n\n- \`Person.name\` shipped here.\n`;
    const news = changelog('- Added `Person.citizenships(first)` on `Person`; scope `person:read`, code `PROTECTED_IDENTITY`.');
    expect((await checkSchema(released, current, news)).unchangedMentions).toEqual([]);
    const stale = changelog('- Added `Person.citizenships`, `Person.name` and `Query.person(id)`.');
    expect((await checkSchema(released, current, stale)).unchangedMentions).toEqual(['Person.name', 'Query.person(id)']);
  });
});

describe('npm run schema:check on a tree whose SDL was edited without npm run compose and npm run codegen', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const copy = mkdtempSync(join(tmpdir(), 'folkreg-schema-check-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const run = (script: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: copy }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  it('fails, saying to run npm run compose, then npm run codegen; passes once both ran', async () => {
    for (const dir of ['schema', 'kernel', 'subgraphs', 'gateway', 'db']) cpSync(join(root, dir), join(copy, dir), { recursive: true });
    // .prettierrc.json: the generated resolver types are formatted as the tree is.
    for (const file of ['package.json', 'tsconfig.json', '.prettierrc.json']) cpSync(join(root, file), join(copy, file));
    symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'));
    const sdl = join(copy, 'subgraphs/person/schema.graphql');
    const before = readFileSync(sdl, 'utf8');
    const edited = before.replace(
      '"A person in the Swedish or Danish population register."',
      '"A person in the Swedish or Danish population register (edited)."',
    );
    expect(edited).not.toBe(before);
    writeFileSync(sdl, edited);

    const stale = await run('schema/check.ts');
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('schema/supergraph.graphql and schema/api.graphql are out of date');
    expect(stale.out).toContain('npm run compose');

    expect((await run('schema/compose.ts')).code).toBe(0);
    // The generated resolver types carry the SDL's descriptions too.
    const staleTypes = await run('schema/check.ts');
    expect(staleTypes.code).toBe(1);
    expect(staleTypes.out).toContain('subgraphs/person/generated/resolvers.ts is out of date');
    expect(staleTypes.out).toContain('npm run codegen');

    expect((await run('schema/codegen.ts')).code).toBe(0);
    const fresh = await run('schema/check.ts');
    expect(fresh.out).toContain('schema:check passed');
    expect(fresh.code).toBe(0);
  }, 240_000);
});
