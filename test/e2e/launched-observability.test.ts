import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilBanner } from '../support/launched.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { graphql } from '../support/stack.js';

/**
 * `npm start` as an operator runs it with LOG_LEVEL=debug and OTEL_EXPORTER_OTLP_ENDPOINT: the launcher's
 * own wiring (tracing started before the database opens, flushed at SIGTERM) and everything its process
 * writes, stdout and stderr, checked for the register's data it served.
 */
const root = new URL('../..', import.meta.url).pathname;
let receiver: OtlpReceiver;
let child: ChildProcess | undefined;
let dataDir: string;
let url: string;
let output: () => string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  dataDir = mkdtempSync(join(tmpdir(), 'folkreg-observed-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'launch/all.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      PORT: '0',
      SEED_PERSONS: '200',
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ({ url, output } = await untilBanner(child));
});

afterAll(async () => {
  // A failed assertion must not leave the stack running.
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function token(scope: string): string {
  return execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'launch/token.ts', '--scope', scope], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
  })
    .toString()
    .trim();
}

describe('npm start with debug logs and tracing', () => {
  it('serves lookups, a search and family pages without writing their data to any log line or span, and exports their traces', async () => {
    const reader = token('folkreg:read');
    const ask = (query: string, variables: Record<string, unknown> = {}, bearer = reader) =>
      graphql(url, query, variables, { authorization: `Bearer ${bearer}` });
    const seen = await ask(
      '{ changeEvents(first: 5) { edges { node { person { id identifier { display } name { givenNames familyName } address { streetName } } } } } }',
    );
    const persons = (seen.data.changeEvents.edges as { node: { person: Record<string, any> | null } }[]).flatMap((e) => (e.node.person ? [e.node.person] : []));
    expect(persons.length).toBeGreaterThan(0);
    for (const p of persons) {
      await ask(
        'query Who($id: String!) { person(identifier: $id) { name { addressingName } familyRelations(first: 5) { edges { node { relativeName relative { name { givenNames } address { streetName } } } } } } }',
        {
          id: p.identifier.display,
        },
      );
      await ask('query Search($n: String!) { searchPersons(filter: { name: $n }, first: 5) { edges { node { id } } } }', { n: p.name.familyName });
    }
    expect((await ask('{ __typename }', {}, `${reader}x`)).status).toBe(401);

    // SIGTERM: the process drains, flushes its spans and exits.
    const exited = new Promise<number | null>((ok) => child!.once('exit', ok));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);

    const secrets = [
      reader,
      ...persons.flatMap((p) => [
        p.id,
        p.identifier.display,
        p.identifier.display.replace(/[-+]/, ''),
        p.name.givenNames,
        p.name.familyName,
        p.address?.streetName,
      ]),
    ].filter((s): s is string => typeof s === 'string' && s.length >= 3);
    const logged = output();
    expect(logged).toContain('"msg":"request"');
    for (const line of logged.split('\n')) for (const secret of secrets) expect(line, `a log line holds ${secret}`).not.toContain(secret);

    const traced = receiver.spans;
    expect(new Set(traced.map((s) => s.service))).toEqual(new Set(['folkreg']));
    for (const name of ['gateway.request', 'subgraph.fetch', 'dataloader family.page', 'SELECT family_relations'])
      expect(
        traced.some((s) => s.name === name),
        name,
      ).toBe(true);
    const values = traced.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]).join('\n');
    for (const secret of secrets) expect(values).not.toContain(secret);
  });
});
