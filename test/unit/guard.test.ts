import { buildSchema, getOperationAST, parse, print, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ProtectionGuard } from '../../gateway/protection/guard.js';

/**
 * The guard's fail-closed rules, on a small schema: a marked field is withheld when its person's
 * markers could not be fetched, or when no person is above it at all.
 */
const schema = buildSchema(`
  type Query { event: Event note: Note }
  type Event { person: Person municipality: String }
  type Note { text: String }
  type Person { id: ID! protectionMarkers: [Marker!]! name: String }
  type Marker { kind: String! }
`);
const guard = new ProtectionGuard(
  schema,
  new Map([
    ['Event.municipality', 'ADDRESS'],
    ['Note.text', 'NAME'],
    ['Person.name', 'NAME'],
  ]),
);
const visibility = { hidden: { SE_PROTECTED_REGISTRATION: ['ADDRESS'] }, entitled: {} };

function mask(query: string, data: Record<string, unknown>, errorPaths: (string | number)[][] = []) {
  const operation = guard.prepare(parse(query));
  const definition = getOperationAST(operation.document)!;
  const outcome = guard.mask(data, schema.getQueryType() as GraphQLObjectType, definition.selectionSet, operation, () => ({}), visibility, errorPaths);
  return { data, codes: outcome.errors.map((e) => [e.path?.join('.'), e.extensions.code]) };
}

describe('protection guard', () => {
  it('asks each subject for its markers, through its person where it has one', () => {
    const printed = JSON.stringify(guard.prepare(parse('{ event { municipality } }')).document);
    expect(printed).toContain('_folkregRef');
    expect(printed).toContain('protectionMarkers');
  });

  it('shows a marked field of an event whose person has no protection, and removes its own fields', () => {
    const res = mask('{ event { municipality } }', { event: { municipality: '0180', _folkregRef: { id: 'p' }, _folkregGuard: { protectionMarkers: [] } } });
    expect(res.data).toEqual({ event: { municipality: '0180' } });
    expect(res.codes).toEqual([]);
  });

  it('withholds it when the person is protected', () => {
    const res = mask('{ event { municipality } }', {
      event: { municipality: '0180', _folkregRef: { id: 'p' }, _folkregGuard: { protectionMarkers: [{ kind: 'SE_PROTECTED_REGISTRATION' }] } },
    });
    expect(res.data).toEqual({ event: { municipality: null } });
    expect(res.codes).toEqual([['event.municipality', 'PROTECTED_IDENTITY']]);
  });

  it('withholds it when the person reference is null because fetching it failed', () => {
    const data = { event: { municipality: '0180', _folkregRef: null, _folkregGuard: null } };
    expect(mask('{ event { municipality } }', structuredClone(data)).data).toEqual({ event: { municipality: '0180' } }); // no person: nothing to protect
    expect(mask('{ event { municipality } }', structuredClone(data), [['event', '_folkregRef']]).data).toEqual({ event: { municipality: null } });
  });

  it('withholds a marked field that has no person above it', () => {
    const res = mask('{ note { text } }', { note: { text: 'secret' } });
    expect(res.data).toEqual({ note: { text: null } });
  });

  it("withholds a person's marked fields when the markers did not come back", () => {
    const res = mask('{ event { person { name } } }', { event: { _folkregRef: { id: 'p' }, person: { name: 'Anna', _folkregId: 'p', _folkregGuard: null } } });
    expect(res.data).toEqual({ event: { person: { name: null } } });
  });

  it("reads an event's markers from the person the client selected, instead of fetching that person twice", () => {
    const printed = print(guard.prepare(parse('{ event { municipality person { name } } }')).document);
    expect(printed.match(/protectionMarkers/g)).toHaveLength(1);
    expect(printed).toContain('_folkregRef: person');
    const person = (markers: unknown) => ({ name: 'Anna', _folkregId: 'p', _folkregGuard: markers });
    const protectedOne = mask('{ event { municipality person { name } } }', {
      event: { municipality: '0180', _folkregRef: { id: 'p' }, person: person([{ kind: 'SE_PROTECTED_REGISTRATION' }]) },
    });
    expect(protectedOne.data).toEqual({ event: { municipality: null, person: { name: 'Anna' } } });
    expect(protectedOne.codes).toEqual([['event.municipality', 'PROTECTED_IDENTITY']]);
    const plain = mask('{ event { municipality person { name } } }', { event: { municipality: '0180', _folkregRef: { id: 'p' }, person: person([]) } });
    expect(plain.data).toEqual({ event: { municipality: '0180', person: { name: 'Anna' } } });
  });

  it("withholds an event's marked fields when the person it selected did not come back", () => {
    const res = mask('{ event { municipality person { name } } }', { event: { municipality: '0180', _folkregRef: { id: 'p' }, person: null } }, [
      ['event', 'person'],
    ]);
    expect(res.data).toEqual({ event: { municipality: null, person: null } });
  });
});

describe("protection guard: a person's id only where a release can need it", () => {
  const entitledVisibility = { hidden: {}, entitled: { SE_PROTECTED_REGISTRATION: ['NAME'] } };
  const run = (releases: boolean, person: Record<string, unknown>) => {
    const operation = guard.prepare(parse('{ event { person { name } } }'), releases);
    const data = { event: { _folkregRef: { id: 'p' }, person } };
    const definition = getOperationAST(operation.document)!;
    const outcome = guard.mask(data, schema.getQueryType() as GraphQLObjectType, definition.selectionSet, operation, () => ({}), entitledVisibility);
    return { data, printed: print(operation.document), outcome };
  };
  const marked = [{ kind: 'SE_PROTECTED_REGISTRATION' }];

  it('fetches no id for a caller who can be released nothing', () => {
    expect(run(false, { name: 'Anna', _folkregGuard: [] }).printed).not.toContain('_folkregId');
    expect(run(true, { name: 'Anna', _folkregId: 'p', _folkregGuard: [] }).printed).toContain('_folkregId: id');
  });

  it('releases to an entitled caller with the person recorded for the audit', () => {
    const res = run(true, { name: 'Anna', _folkregId: 'p', _folkregGuard: marked });
    expect(res.data.event.person).toEqual({ name: 'Anna' });
    expect([...res.outcome.releases]).toEqual([['p', new Set(['Person.name'])]]);
  });

  it('withholds instead of releasing unaudited when the id is not there (prepared without it, or not returned)', () => {
    for (const res of [run(false, { name: 'Anna', _folkregGuard: marked }), run(true, { name: 'Anna', _folkregId: null, _folkregGuard: marked })]) {
      expect(res.data.event.person).toEqual({ name: null });
      expect(res.outcome.releases.size).toBe(0);
      expect(res.outcome.errors.map((e) => e.extensions.code)).toEqual(['PROTECTED_IDENTITY']);
    }
  });
});

describe('protection guard: a category named by the object (categoryOf)', () => {
  const typed = buildSchema(`
    type Query { event: Event }
    enum Kind { MOVE BIRTH }
    type Event { person: Person kind: Kind at: String }
    type Person { id: ID! protectionMarkers: [Marker!]! }
    type Marker { kind: String! }
  `);
  const byKind = new ProtectionGuard(
    typed,
    new Map([
      [
        'Event.at',
        {
          by: 'kind',
          categories: new Map([
            ['MOVE', 'ADDRESS'],
            ['BIRTH', 'IDENTITY'],
          ]),
        },
      ],
    ]) as never,
  );
  const run = (query: string, event: Record<string, unknown>) => {
    const operation = byKind.prepare(parse(query));
    const data = { event: { ...event, _folkregRef: { id: 'p' }, _folkregGuard: { protectionMarkers: [{ kind: 'SE_PROTECTED_REGISTRATION' }] } } };
    const outcome = byKind.mask(
      data,
      typed.getQueryType() as GraphQLObjectType,
      getOperationAST(operation.document)!.selectionSet,
      operation,
      () => ({}),
      visibility,
    );
    return { data, printed: print(operation.document), codes: outcome.errors.map((e) => e.extensions.code) };
  };

  it('fetches the naming field under a reserved alias even when the client did not select it', () => {
    expect(run('{ event { at } }', { at: 'x', _folkregBy_kind: 'BIRTH' }).printed).toContain('_folkregBy_kind: kind');
  });

  it('masks the field when its object names a hidden category, shows it otherwise, and removes its own field', () => {
    const moved = run('{ event { at } }', { at: '2024-05-01', _folkregBy_kind: 'MOVE' });
    expect(moved.data.event).toEqual({ at: null });
    expect(moved.codes).toEqual(['PROTECTED_IDENTITY']);
    const born = run('{ event { at } }', { at: '2024-05-01', _folkregBy_kind: 'BIRTH' });
    expect(born.data.event).toEqual({ at: '2024-05-01' });
  });

  it('reads the naming field before clearing it, whatever order the selections merge in', () => {
    const res = run('{ event { kind } event { at } }', { kind: 'MOVE', at: '2024-05-01', _folkregBy_kind: 'MOVE' });
    expect(res.data.event).toEqual({ kind: 'MOVE', at: null });
  });

  it('withholds the field when the naming value is missing or unknown', () => {
    expect(run('{ event { at } }', { at: '2024-05-01', _folkregBy_kind: null }).data.event).toEqual({ at: null });
    expect(run('{ event { at } }', { at: '2024-05-01', _folkregBy_kind: 'LATER' }).data.event).toEqual({ at: null });
  });
});
