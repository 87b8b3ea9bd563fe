import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaPath } from '../../schema/compose.js';
import { ERROR_CODES, ERROR_REASONS, missingScope, userInputError, withHttpStatus } from '../../kernel/errors.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** The production code: where an error reaches a client from. */
const PRODUCTION = ['kernel', 'gateway', 'subgraphs'];

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') }));
}
const production = PRODUCTION.flatMap(sources);

/** Each value of an enum of the published contract, with its description. */
function publishedEnum(name: string): Record<string, string> {
  const type = buildSchema(readFileSync(apiSchemaPath, 'utf8')).getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`schema/api.graphql has no enum ${name}`);
  return Object.fromEntries(type.getValues().map((v) => [v.name, v.description ?? '']));
}

describe('the error vocabulary is published in the contract', () => {
  it.each([
    ['ErrorCode', ERROR_CODES],
    ['ErrorReason', ERROR_REASONS],
  ] as const)('enum %s in schema/api.graphql holds exactly the catalogue, each value with its meaning', (name, catalogue) => {
    expect(publishedEnum(name)).toEqual(catalogue);
  });
});

describe('production code speaks the catalogue only', () => {
  // The constructors accept catalogue members only (by type); this catches the literals no type checks:
  // hand-built `extensions` objects and error shapes written as plain JSON.
  const literals = (pattern: RegExp) =>
    production.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => ({ file, value: m[1]! }))).filter(({ file }) => file !== 'kernel/errors.ts');

  it('every `code:` literal is an ErrorCode', () => {
    expect(literals(/\bcode: '([A-Z][A-Z0-9_]+)'/g).filter(({ value }) => !(value in ERROR_CODES))).toEqual([]);
  });

  it('every `reason:` literal is an ErrorReason', () => {
    expect(literals(/\breason: '([A-Z][A-Z0-9_]+)'/g).filter(({ value }) => !(value in ERROR_REASONS))).toEqual([]);
  });

  it('every catalogue member is produced somewhere (no entry outlives its error)', () => {
    // The constructors of kernel/errors.ts (after the catalogue) and the database client's faults count.
    const constructors = readFileSync(join(ROOT, 'kernel/errors.ts'), 'utf8').split('export type ErrorReason')[1]!;
    const others = production.filter(({ file }) => file !== 'kernel/errors.ts').map((s) => s.text);
    const text = [...others, constructors, readFileSync(join(ROOT, 'db/client.ts'), 'utf8')].join('\n');
    const unused = [...Object.keys(ERROR_CODES), ...Object.keys(ERROR_REASONS)].filter((name) => !text.includes(`'${name}'`));
    expect(unused).toEqual([]);
  });

  it('new GraphQLError is written only in kernel/errors.ts, and where an error is copied from another', () => {
    const builders = production.filter(({ file, text }) => file !== 'kernel/errors.ts' && text.includes('new GraphQLError')).map(({ file }) => file);
    // gateway/websocket re-wraps errors it received (suggestions stripped, HTTP extensions dropped, a code set
    // on validation errors, graphql-ws's serialised errors revived): copies, not errors of its own.
    expect(builders.filter((file) => !file.startsWith('gateway/websocket/'))).toEqual([]);
  });
});

describe('constructors', () => {
  it('write the code, then the reason only when there is one, then the details', () => {
    expect(userInputError('bad', 'PAGE_SIZE', { allowed: 5 }).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE', allowed: 5 });
    expect(userInputError('bad').extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(missingScope('no', [['a:read']]).extensions).toEqual({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScopes: [['a:read']] });
  });

  it('accept catalogue members only', () => {
    // @ts-expect-error a reason outside the catalogue does not compile (npx tsc checks this line)
    expect(userInputError('bad', 'NO_SUCH_REASON').extensions!.reason).toBe('NO_SUCH_REASON');
  });

  it('give an error the HTTP status Apollo answers it with', () => {
    expect(withHttpStatus(userInputError('bad'), 400).extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});
