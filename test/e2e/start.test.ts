import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { untilBanner } from '../support/launched.js';
import { graphql } from '../support/stack.js';

/** `npm start` as a newcomer runs it: a child process on a fresh DATA_DIR (embedded database). */
const root = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'folkreg-start-'));
  dirs.push(dir);
  return dir;
}

interface Started {
  child: ChildProcess;
  output: string;
  url: string;
}

/** Starts the dev stack and resolves once it prints its gateway URL (or rejects with its output). */
function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'launch/all.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', SEED_PERSONS: '300' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return untilBanner(child).then(({ url, output }) => ({ child, output: output(), url }));
}

/** `npm run token` against the same DATA_DIR, as the start-up banner says. */
function tokenFor(dataDir: string): Record<string, string> {
  const token = execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'launch/token.ts', '--scope', 'folkreg:read'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
  })
    .toString()
    .trim();
  return { authorization: `Bearer ${token}` };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

afterAll(() => {
  // A failed assertion must not leave a stack running.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start', { timeout: 180_000 }, () => {
  it('seeds on the first start, serves every subgraph, and keeps the data on a second start', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    expect(first.output).toMatch(/Seeding 300 synthetic persons/);
    for (const name of ['person', 'family', 'address', 'reserve-id', 'subscription']) expect(first.output).toContain(`subgraph ${name}`);

    expect(first.output).toMatch(/npm run -s token/);
    const auth = tokenFor(dataDir);
    const anonymous = await graphql(
      first.url,
      `
        {
          changeEvents(first: 1) {
            edges {
              cursor
            }
          }
        }
      `,
    );
    expect(anonymous.status).toBe(401);
    // The GraphQL IDE of the development stack comes with a working read token.
    expect(first.output).toMatch(/GraphQL IDE\s+http:\/\/localhost:\d+\/graphql in a browser \(development token pre-filled/);
    const ide = await (await fetch(first.url, { headers: { accept: 'text/html' } })).text();
    const devToken: string = JSON.parse(/<script id="folkreg-ide-config" type="application\/json">(.*?)<\/script>/s.exec(ide)![1]!).devToken;
    const viaIde = await graphql(
      first.url,
      `
        {
          changeEvents(first: 1) {
            edges {
              cursor
            }
          }
        }
      `,
      {},
      { authorization: `Bearer ${devToken}` },
    );
    expect(viaIde.errors).toBeUndefined();
    const events = await graphql(
      first.url,
      `
        {
          changeEvents(first: 10) {
            edges {
              node {
                type
                person {
                  identifier {
                    value
                  }
                }
              }
            }
          }
        }
      `,
      {},
      auth,
    );
    expect(events.errors).toBeUndefined();
    expect(events.data.changeEvents.edges).toHaveLength(10);

    // A seeded person with a reserve identity, through the gateway with every subgraph's fields.
    const identifier: string = events.data.changeEvents.edges.find((e: any) => e.node.person)!.node.person.identifier.value;
    const person = await graphql(
      first.url,
      `
        query ($i: String!) {
          person(identifier: $i) {
            name {
              givenNames
              familyName
            }
            address {
              municipalityCode
            }
            familyRelations(first: 20) {
              totalCount
              edges {
                node {
                  kind
                }
              }
            }
            reserveIdentities {
              value
            }
          }
        }
      `,
      { i: identifier },
      auth,
    );
    expect(person.errors).toBeUndefined();
    expect(person.data.person.name.familyName).toBeTruthy();
    expect(Array.isArray(person.data.person.reserveIdentities)).toBe(true);
    expect(await stop(first.child)).toBe(0);

    const second = await start(dataDir);
    expect(second.output).not.toMatch(/Seeding/);
    const again = await graphql(
      second.url,
      `
        query ($i: String!) {
          person(identifier: $i) {
            name {
              familyName
            }
          }
        }
      `,
      { i: identifier },
      auth,
    );
    expect(again.data.person.name.familyName).toBe(person.data.person.name.familyName);
    expect(await stop(second.child)).toBe(0);
  });

  it('refuses a DATA_DIR that folkreg did not create, and leaves it untouched', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'thesis.docx'), 'precious');
    const failure = await start(dataDir).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.output).toMatch(/not empty and was not created by folkreg/);
  });

  it('stops with a clear message on a corrupt embedded database', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'folkreg.json'), JSON.stringify({ app: 'folkreg' }));
    mkdirSync(join(dataDir, 'pgdata'));
    writeFileSync(join(dataDir, 'pgdata', 'PG_VERSION'), 'garbage');
    const failure = await start(dataDir).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.output).toMatch(/could not be opened/);
  });
});
