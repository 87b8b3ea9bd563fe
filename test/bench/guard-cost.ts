/**
 * `NODE_ENV=production npx tsx test/bench/guard-cost.ts [--rounds 12] [--iterations 2000]`: what the
 * protection guard adds to the gateway's CPU per request of the bench's scenarios, in this process and
 * without subgraphs: Apollo's result shaping (`computeResponse`) of the client's document against the
 * guarded one, and the guard's own walk (`mask`) of the shaped response, for a caller who can be
 * released nothing and for one who can. Medians of `--rounds` rounds (each the CPU time of
 * `--iterations` runs), so a busy machine moves them less.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import { getOperationAST, parse, type DocumentNode, type GraphQLObjectType } from 'graphql';
import { Authorization } from '../../gateway/authorization.js';
import { ProtectionGuard } from '../../gateway/protection/guard.js';
import { readProtectedFields } from '../../kernel/protection-marks.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, iterations: { type: 'string' } } });
const rounds = Number(values.rounds ?? 12);
const iterations = Number(values.iterations ?? 2000);
// Not part of @apollo/gateway's exports: the function its executor shapes every response with.
const { computeResponse } = (await import('@apollo/gateway/dist/resultShaping.js' as string)) as {
  computeResponse(args: { operation: unknown; variables: Record<string, unknown>; input: unknown; introspectionHandling: () => null }): {
    data: Record<string, unknown>;
  };
};

const sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({ supergraphSdl: new Authorization(sdl).engineSupergraphSdl });
const { schema } = await gateway.load();
const apiSchema = (gateway as unknown as { apiSchema: Parameters<typeof operationFromDocument>[0] }).apiSchema;
const guard = new ProtectionGuard(schema, readProtectedFields(sdl));
const root = schema.getQueryType() as GraphQLObjectType;
const visibility = { hidden: { SE_PROTECTED_REGISTRATION: ['ADDRESS', 'CONTACT', 'FAMILY', 'CIVIL_STATUS', 'CITIZENSHIP'] }, entitled: {} };

const ADDRESS = 'streetName postalCode postalDistrict municipalityName';
const address = () => ({ streetName: 'Storgatan 1', postalCode: '11122', postalDistrict: 'Stockholm', municipalityName: 'Stockholm' });
/** What the subgraphs' merged answers hold for a person without protection, guard fields included. */
const guarded = (i: number, fields: Record<string, unknown>) => ({ ...fields, _folkregId: `p${i}`, _folkregGuard: [] });
const person = (i: number) => ({ id: `p${i}`, name: { givenNames: 'Anna Maria', familyName: 'Svensson' }, birthDate: '1980-01-01' });
const scenarios = {
  'person by identifier, with address': {
    query: `query Person($identifier: String!) { person(identifier: $identifier) { id name { givenNames familyName } birthDate address { ${ADDRESS} } } }`,
    input: () => ({ person: guarded(0, { ...person(0), address: address() }) }),
  },
  'family page of 20': {
    query: `query Family($identifier: String!) { person(identifier: $identifier) { familyRelations(first: 20) { totalCount edges { node { kind relative { name { givenNames familyName } address { ${ADDRESS} } } } } } } }`,
    input: () => ({
      person: guarded(0, {
        familyRelations: {
          totalCount: 20,
          edges: Array.from({ length: 20 }, (_, i) => ({ node: { kind: 'CHILD', relative: guarded(i + 1, { name: person(i).name, address: address() }) } })),
        },
      }),
    }),
  },
  'name search, page of 20': {
    query: `query Search($name: String!) { searchPersons(filter: { name: $name }, first: 20) { edges { node { id name { givenNames familyName } birthDate } } pageInfo { hasNextPage } } }`,
    input: () => ({ searchPersons: { edges: Array.from({ length: 20 }, (_, i) => ({ node: guarded(i, person(i)) })), pageInfo: { hasNextPage: true } } }),
  },
};

const cpuMicros = (run: () => void) => {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
};
const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;

for (const [name, scenario] of Object.entries(scenarios)) {
  const client = parse(scenario.query);
  const forms: Array<{ label: string; document: DocumentNode; operation?: ReturnType<ProtectionGuard['prepare']> }> = [
    { label: 'unmasked', document: client },
    ...[false, true].map((releases) => {
      const operation = guard.prepare(client, releases);
      return { label: releases ? 'masked, caller entitled to releases' : 'masked', document: operation.document, operation };
    }),
  ];
  const shaping = forms.map(() => [] as number[]);
  const walking = forms.map(() => [] as number[]);
  for (let round = 0; round <= rounds; round++) {
    forms.forEach((form, f) => {
      const shapedBy = operationFromDocument(apiSchema, form.document, { validate: false });
      const input = scenario.input();
      let shaped: Record<string, unknown>[] = [];
      const shape = cpuMicros(() => {
        shaped = Array.from(
          { length: iterations },
          () => computeResponse({ operation: shapedBy, variables: {}, input, introspectionHandling: () => null }).data,
        );
      });
      const { operation } = form;
      const selectionSet = operation && getOperationAST(operation.document)!.selectionSet;
      const walk = operation ? cpuMicros(() => shaped.forEach((data) => guard.mask(data, root, selectionSet!, operation, () => ({}), visibility))) : 0;
      if (round === 0) return; // warm-up
      shaping[f]!.push(shape);
      walking[f]!.push(walk);
    });
  }
  console.log(name);
  forms.forEach((form, f) =>
    console.log(`  ${form.label}: result shaping ${median(shaping[f]!).toFixed(1)} µs, guard walk ${median(walking[f]!).toFixed(1)} µs per request`),
  );
}
await gateway.stop();
