import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { apiSchemaPath } from './compose.js';

/**
 * `npm run schema:check`: the difference between the released contract (`schema/released/api.graphql`,
 * replaced on each release) and the current `schema/api.graphql`, classified by @graphql-inspector as
 * breaking, dangerous or safe. A breaking change fails the check unless `schema/CHANGELOG.md`
 * acknowledges it under "## Unreleased" by naming its schema coordinate in backticks, e.g.
 * "- Breaking: `Person.sex` is nullable now: masked for excluded callers."
 */
export const releasedSchemaPath = new URL('./released/api.graphql', import.meta.url);
export const changelogPath = new URL('./CHANGELOG.md', import.meta.url);

export interface SchemaCheck {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  /** Breaking changes the changelog does not acknowledge: these fail the check. */
  unacknowledged: Change[];
}

export async function checkSchema(releasedSdl: string, currentSdl: string, changelog: string): Promise<SchemaCheck> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  const by = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  const unreleased = changelog.split(/^## /m).find((section) => section.startsWith('Unreleased')) ?? '';
  const acknowledged = new Set([...unreleased.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  const breaking = by(CriticalityLevel.Breaking);
  return {
    breaking,
    dangerous: by(CriticalityLevel.Dangerous),
    safe: by(CriticalityLevel.NonBreaking),
    unacknowledged: breaking.filter((c) => !c.path || !acknowledged.has(c.path)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await checkSchema(readFileSync(releasedSchemaPath, 'utf8'), readFileSync(apiSchemaPath, 'utf8'), readFileSync(changelogPath, 'utf8'));
  for (const [label, list] of [['Breaking', result.breaking], ['Dangerous', result.dangerous], ['Safe', result.safe]] as const) {
    console.log(`${label}: ${list.length}`);
    for (const change of list) console.log(`  ${change.path ?? ''}  ${change.message}`);
  }
  if (result.unacknowledged.length) {
    console.error(`\nUnacknowledged breaking changes — partners' generated clients would break. Either undo them, or`);
    console.error(`name each coordinate in backticks under "## Unreleased" in schema/CHANGELOG.md:`);
    for (const change of result.unacknowledged) console.error(`  \`${change.path}\`  ${change.message}`);
    process.exit(1);
  }
  console.log('\nschema:check passed.');
}
