import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, Policy, policyFromFile } from '../../gateway/policy.js';
import { readConfig } from '../../kernel/config.js';
import { readProtectedFields } from '../../kernel/protection-marks.js';
import { apiSchemaPath, readSupergraph } from '../../schema/compose.js';
import { readFileSync } from 'node:fs';

/**
 * Fields reachable from a person that hold no personal data, reviewed one by one. A new field on a
 * Person-reachable type must be either marked `@protected` or added here — so personal data cannot
 * slip into the graph unmarked.
 */
const NOT_PERSONAL = new Set([
  'Person.id', // folkreg's own opaque id
  'Person.country', // which register — not about the person beyond what the identifier says
  'Person.protectionMarkers', // always visible: clients must know why data is withheld
  'ProtectionMarker.kind',
  'ProtectionMarker.validFrom',
  'ProtectionMarker.validTo',
  'Identifier.kind',
  'Identifier.current',
  'Address.kind',
  'FamilyRelationConnection.edges',
  'FamilyRelationConnection.pageInfo',
  'FamilyRelationConnection.totalCount',
  'FamilyRelationEdge.cursor',
  'FamilyRelationEdge.node',
  'FamilyRelation.kind', // the relation to a person whose own fields are protected on their own
  'FamilyRelation.since',
  'FamilyRelation.until',
  'FamilyRelation.relative',
  'FamilyRelation.id', // folkreg's own opaque id of the relation
  'FamilyRelation.relationCode', // the Familie+ code of `kind`
  'PageInfo.hasNextPage',
  'PageInfo.endCursor',
  'ReserveIdentity.id',
  'ReserveIdentity.kind',
  'ReserveIdentity.region',
  'ReserveIdentity.linkedAt',
  'ChangeEvent.cursor',
  'ChangeEvent.type',
  'ChangeEvent.cprChangeCode',
  'ChangeEvent.recordedAt',
  'ChangeEvent.person',
  'ContactDetails.version', // optimistic-concurrency counter
  'ContactDetails.updatedAt',
  'ContactDetails.person',
  'ReserveIdentity.issuedBy', // the issuing organisation
  'ReserveIdentity.recordedAt',
  'ReserveIdentity.person', // a subject of its own: its protection covers the reserve identity
  'ReserveIdentity.links',
  'ReserveIdentityLink.linkedAt',
  'ReserveIdentityLink.unlinkedAt',
  'ReserveIdentityLink.target', // its value is marked
  'ReserveIdentityLink.targetReserveIdentity', // a reserve identity, masked by its own person
  'ReserveIdentityLink.person', // a subject of its own: its protection covers the link's target
  'LinkedIdentifier.kind',
  // The details union is a container (its members' personal fields are marked); what kind of change
  // happened is no more personal than the event's type.
  'ChangeEvent.details',
  'ContactDetailsChangeDetails.version',
  'FamilyRelationChangeDetails.relationAction',
  'ReserveIdentityChangeDetails.reserveIdentityAction',
]);

describe('protection marks in the supergraph', () => {
  const marks = readProtectedFields(readSupergraph());

  it('are read from the composed supergraph', () => {
    expect(marks.get('Person.address')).toBe('ADDRESS');
    expect(marks.get('Person.name')).toBe('NAME');
    expect(marks.get('Address.streetName')).toBe('ADDRESS');
    expect(marks.get('Person.familyRelations')).toBe('FAMILY');
    expect(marks.has('Person.protectionMarkers')).toBe(false);
  });

  it('cover every field reachable from a person, except the reviewed non-personal ones', () => {
    const api = buildSchema(readFileSync(apiSchemaPath, 'utf8'));
    const seen = new Set<string>();
    const unmarked: string[] = [];
    const coordinates = new Set<string>();
    const visit = (type: GraphQLNamedType | undefined) => {
      if (!type || seen.has(type.name)) return;
      seen.add(type.name);
      if (isUnionType(type)) return type.getTypes().forEach(visit);
      if (!isObjectType(type) && !isInterfaceType(type)) return;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        coordinates.add(coordinate);
        if (!marks.has(coordinate) && !NOT_PERSONAL.has(coordinate)) unmarked.push(coordinate);
        visit(getNamedType(field.type));
      }
    };
    for (const root of ['Person', 'ReserveIdentity', 'ChangeEvent']) visit(api.getType(root) ?? undefined);
    expect(unmarked, 'personal data without @protected: mark it, or add it to NOT_PERSONAL after review').toEqual([]);
    expect(
      [...NOT_PERSONAL].filter((c) => !coordinates.has(c)),
      'stale NOT_PERSONAL entries',
    ).toEqual([]);
  });

  it("give a change event's occurredAt the category its type is marked with", () => {
    const occurredAt = marks.get('ChangeEvent.occurredAt');
    expect(occurredAt).toMatchObject({ by: 'type' });
    const categories = (occurredAt as { categories: ReadonlyMap<string, string> }).categories;
    expect(categories.get('MOVE')).toBe('ADDRESS');
    expect(categories.get('CIVIL_STATUS_CHANGE')).toBe('CIVIL_STATUS');
    expect(categories.get('DEATH')).toBe('LIFE_STATUS');
    expect(categories.get('NAME_CHANGE')).toBe('NAME');
  });

  it('stop the gateway at start when a categoryOf mark is incomplete', () => {
    const sdl = `type Query { e: E } enum T { A @protected(category: "ADDRESS") B } type E { t: T! at: String @protected(categoryOf: "t") x: String @protected(categoryOf: "nope") }`;
    expect(() => readProtectedFields(sdl)).toThrow(/E\.at .*values of T have no @protected category: B[\s\S]*E\.x .*'nope'/);
  });

  it('stop the gateway at start when a mark names an unknown category or sits on a non-null field', () => {
    const sdl = `type Query { p: P } type P { a: String @protected(category: "SHOE_SIZE") b: String! @protected(category: "NAME") }`;
    expect(() => readProtectedFields(sdl)).toThrow(/P\.a .*unknown category "SHOE_SIZE"[\s\S]*P\.b .*non-nullable/);
  });
});

describe('policy table', () => {
  it('refuses unknown kinds, unknown categories, unknown keys and a missing kind', () => {
    expect(() => new Policy({ ...DEFAULT_POLICY, SE_X: [] } as never)).toThrow(/unknown protection kind 'SE_X'/);
    expect(() => new Policy({ ...DEFAULT_POLICY, DK_MARKETING: [{ categories: ['SHOE_SIZE'] }] } as never)).toThrow(/unknown category 'SHOE_SIZE'/);
    expect(() => new Policy({ ...DEFAULT_POLICY, DK_MARKETING: [{ categories: '*', unlesScope: 'x' }] } as never)).toThrow(/unknown key 'unlesScope'/);
    const { DK_RESEARCH: _, ...missing } = DEFAULT_POLICY;
    expect(() => new Policy(missing as never)).toThrow(/no rules for protection kind 'DK_RESEARCH'/);
  });

  it('is replaced per deployment by PROTECTION_POLICY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'folkreg-policy-'));
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_POLICY, DK_MARKETING: [{ categories: ['ADDRESS'] }] }));
    const policy = policyFromFile(readConfig({ PROTECTION_POLICY_FILE: file }, 'stack').gateway.protectionPolicyFile);
    expect(policy.hiddenFor({ subject: 's', client: null, scopes: [], role: null, purpose: null }).DK_MARKETING).toEqual(['ADDRESS']);
    writeFileSync(file, '{ not json');
    expect(() => policyFromFile(readConfig({ PROTECTION_POLICY_FILE: file }, 'stack').gateway.protectionPolicyFile)).toThrow(/PROTECTION_POLICY_FILE/);
  });

  it('gives an entitled caller nothing more until it states a purpose', () => {
    const policy = new Policy();
    const caller = { subject: 's', client: null, scopes: ['person:unrestricted'], role: null };
    expect(policy.hiddenFor({ ...caller, purpose: null }).SE_PROTECTED_REGISTRATION).toContain('ADDRESS');
    expect(policy.hiddenFor({ ...caller, purpose: 'case' }).SE_PROTECTED_REGISTRATION).toBeUndefined();
    expect(policy.entitledFor({ ...caller, purpose: 'case' }).SE_PROTECTED_REGISTRATION).toContain('ADDRESS');
  });
});
