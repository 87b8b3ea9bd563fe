import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevIssuer } from '../../gateway/dev-auth.js';
import { SubscriptionCloseCode } from '../../gateway/websocket/protocol.js';
import { untilBanner } from '../support/launched.js';
import { graphql } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/** `npm start` in a child process, stopped with SIGTERM as an orchestrator stops it. */
const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'folkreg-shutdown-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the dev stack on the embedded database; resolves with the gateway URL once everything listens. */
function startStack(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'launch/all.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', SEED_PERSONS: '30', IDE: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  return untilBanner(started).then(({ url, output }) => ({ child: started, url: url.replace('localhost', '127.0.0.1'), output }));
}

/** Reads from `socket` until `test` matches what arrived. */
function readUntil(socket: Socket, test: RegExp): Promise<string> {
  return new Promise((ok, fail) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString();
      if (test.test(got)) {
        socket.off('data', onData);
        ok(got);
      }
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', () => fail(new Error(`closed after: ${got}`)));
  });
}

describe('SIGTERM', () => {
  it('lets an in-flight request complete, closes websockets with 1012, refuses new connections and exits 0 within seconds', async () => {
    const stack = await startStack();
    const issuer = await loadOrCreateDevIssuer(dataDir);
    const token = await issuer.issue({ scope: 'folkreg:read', sub: 'shutdown-test' });
    const who = { authorization: `Bearer ${token}` };

    // A subscription replaying the seeded log: once an event arrives, its feed and the head long-poll run.
    const first = await graphql(
      stack.url,
      `
        {
          changeEvents(first: 1) {
            edges {
              node {
                cursor
              }
            }
          }
        }
      `,
      undefined,
      who,
    );
    const subscription = new Collector(connect(stack.url, who), `subscription($a: String) { changeEvents(after: $a) { type } }`, {
      a: first.data.changeEvents.edges[0].node.cursor,
    });
    await subscription.take(1);

    // An HTTP request the server has begun (it answered 100 Continue) but whose body is not sent yet.
    const body = JSON.stringify({ query: '{ changeEvents(first: 2) { edges { node { type } } } }' });
    const port = Number(new URL(stack.url).port);
    const inFlight = netConnect(port, '127.0.0.1');
    await new Promise<void>((ok) => inFlight.once('connect', ok));
    inFlight.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\n\r\n`,
    );
    await readUntil(inFlight, /100 Continue\r\n\r\n/);

    const exited = new Promise<{ code: number | null; ms: number }>((ok) => {
      const signalled = performance.now();
      stack.child.once('exit', (code) => ok({ code, ms: performance.now() - signalled }));
    });
    stack.child.kill('SIGTERM');

    // Shutdown has begun once the socket is closed with "service restart".
    expect(await subscription.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.ServiceRestart });
    // New connections are refused from then on.
    const refused = await new Promise<string>((ok) => {
      const probe = netConnect(port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), ok('accepted')));
      probe.once('error', (err: NodeJS.ErrnoException) => ok(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    // The request begun before the signal still completes, with its data, and says the connection ends.
    const answer = readUntil(inFlight, /\r\n\r\n[\s\S]*\}\s*$/);
    inFlight.write(body);
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response.toLowerCase()).toContain('connection: close');
    const json = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
    expect(json.errors).toBeUndefined();
    expect(json.data.changeEvents.edges).toHaveLength(2);

    const { code, ms } = await exited;
    expect(code).toBe(0);
    // Before, the head long-poll (20 s) held the stop; now it is aborted at once.
    expect(ms).toBeLessThan(10_000);
    expect(stack.output()).toContain('folkreg stopped.');
  });
});
