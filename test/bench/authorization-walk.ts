/**
 * CPU of the scope check the gateway runs before planning each operation, on the README's person query
 * (every domain, nested relatives, events): a fresh walk per check (a new DocumentNode each time, parse
 * time subtracted), and a hit of the per-document cache (Apollo Server's document store hands out the
 * same DocumentNode for the same text).
 *   npx tsx test/bench/authorization-walk.ts [checks]
 */
import { Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { Authorization, expandScopes } from '../../gateway/authorization.js';
import { readSupergraph } from '../../schema/compose.js';
import { README_PERSON } from '../support/documents.js';

const n = Number(process.argv[2] ?? 20_000);
const authorization = new Authorization(readSupergraph());
const schema = Supergraph.build(authorization.engineSupergraphSdl).apiSchema().toGraphQLJSSchema();
const text = README_PERSON;
const scopes = expandScopes(['folkreg:read']);
const cpu = (run: () => void) => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
};
const document = parse(text);
if (authorization.missing(schema, document, undefined, scopes).length) throw new Error('folkreg:read should read the whole query');
cpu(() => authorization.missing(schema, parse(text), undefined, scopes)); // warm-up
const parseOnly = cpu(() => parse(text));
const walk = cpu(() => authorization.missing(schema, parse(text), undefined, scopes)) - parseOnly;
const cached = cpu(() => authorization.missing(schema, document, undefined, scopes));
console.log(`scope check of the README person query: walk ${walk.toFixed(1)} µs CPU, cached ${cached.toFixed(2)} µs CPU (${n} checks each)`);
