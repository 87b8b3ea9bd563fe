import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../gateway/webhooks/sender.js';
import { retryDelayMs } from '../../gateway/webhooks/index.js';
import { endpointSyntaxProblem, isPrivateAddress, newWebhookSecret } from '../../kernel/webhooks.js';

/**
 * The endpoint rules of webhook delivery against a real receiver on 127.0.0.1: what an attacker would
 * point a webhook at to reach the gateway's own network (server-side request forgery) is never connected
 * to unless configuration allows it.
 */

let server: Server;
let port = 0;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => (req.url === '/redirect' ? res.writeHead(307, { location: 'http://127.0.0.1:1/' }).end() : res.writeHead(204).end()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const strict = { allowHttp: true, allowPrivateAddresses: false, timeoutMs: 2_000 };

describe('webhook endpoint rules', () => {
  it('refuses loopback by literal and by name (resolved, every address checked), without connecting', async () => {
    const sender = new WebhookSender(strict);
    try {
      const before = hits;
      for (const host of ['127.0.0.1', 'localhost', '[::1]', '[::ffff:127.0.0.1]']) {
        const outcome = await sender.send(`http://${host}:${port}/hook`, {}, '{}');
        expect(outcome, host).toMatchObject({ ok: false, status: null, final: true });
        expect(!outcome.ok && outcome.message, host).toMatch(/is not public/);
      }
      expect(hits).toBe(before);
    } finally {
      await sender.close();
    }
  });

  it('refuses http:// unless allowed, and delivers to loopback when configuration allows it', async () => {
    const https = new WebhookSender({ ...strict, allowHttp: false, allowPrivateAddresses: true });
    const open = new WebhookSender({ ...strict, allowPrivateAddresses: true });
    try {
      expect(await https.send(`http://localhost:${port}/hook`, {}, '{}')).toMatchObject({ ok: false, final: true, message: expect.stringMatching(/https/) });
      expect(await open.send(`http://localhost:${port}/hook`, {}, '{}')).toEqual({ ok: true, status: 204 });
      // A redirect is not followed: it is a failed attempt (retried), and its target is never asked.
      const before = hits;
      expect(await open.send(`http://127.0.0.1:${port}/redirect`, {}, '{}')).toMatchObject({ ok: false, status: 307, final: false });
      expect(hits).toBe(before + 1);
      // Nothing listening: a failure to retry, not a pause.
      expect(await open.send('http://127.0.0.1:1/hook', {}, '{}')).toMatchObject({ ok: false, status: null, final: false, message: 'connection refused' });
    } finally {
      await https.close();
      await open.close();
    }
  });

  it('knows the non-public ranges, IPv4 and IPv6', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:a00:1',
      '64:ff9b::a9fe:a9fe',
      'not-an-ip',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('endpoint syntax and secrets', () => {
    expect(endpointSyntaxProblem('https://hooks.example/folkreg')).toBeNull();
    expect(endpointSyntaxProblem('gopher://hooks.example/')).toMatch(/https/);
    expect(endpointSyntaxProblem('https://a:b@hooks.example/')).toMatch(/credentials/);
    expect(newWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
  });

  it('backs off exponentially with jitter, within half and all of base·2ⁿ⁻¹, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1_000, 60_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1_000, 60_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(30, 1_000, 60_000, () => 1)).toBe(60_000);
  });
});
