/**
 * The floor under a broadcast: what it costs this machine to write one message to every one of N loopback
 * TCP sockets, with nothing of folkreg, graphql-ws or ws in between — a plain `net` server writing the same
 * bytes to each socket, and a client process (like the bench's subscribers) reading them.
 *
 *   npx tsx test/bench/socket-floor.ts --sockets 10000 --events 10 --bytes 600
 *
 * Prints, per event, the sender's CPU for the writes (user + system: on loopback the receiving side's TCP
 * work runs in the sender's system call too) and each socket's write-to-arrival latency (p50/p99/max,
 * measured in the client from a timestamp in the message). The broadcast-10000 phase of `npm run bench`
 * cannot beat these figures: folkreg's gateway writes the same number of messages to the same number of
 * sockets and does its own work besides.
 */
import { fork } from 'node:child_process';
import { createConnection, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '10000' },
    events: { type: 'string', default: '10' },
    bytes: { type: 'string', default: '600' },
    chunk: { type: 'string', default: '1000' },
    client: { type: 'string' },
  },
});
const sockets = Number(values.sockets);
const bytes = Math.max(16, Number(values.bytes));
const now = () => performance.timeOrigin + performance.now();

if (values.client) {
  // The client: N connections, each reading fixed-size messages; reports each message's latency per event.
  const port = Number(values.client);
  const latencies = new Map<number, number[]>();
  let connected = 0;
  const open = (i: number) => {
    const socket: Socket = createConnection({ host: '127.0.0.1', port }, () => {
      if (++connected === sockets) process.send!({ ready: true });
    });
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      while (pending.length >= bytes) {
        const event = pending.readUInt32LE(0);
        const sent = pending.readDoubleLE(4);
        pending = pending.subarray(bytes);
        let list = latencies.get(event);
        if (!list) latencies.set(event, (list = []));
        list.push(now() - sent);
        if (list.length === sockets) {
          list.sort((a, b) => a - b);
          const at = (q: number) => list![Math.min(list!.length - 1, Math.floor(q * list!.length))]!;
          process.send!({ event, p50: at(0.5), p99: at(0.99), max: list.at(-1) });
          latencies.delete(event);
        }
      }
    });
    socket.on('error', (err) => process.send!({ error: String(err) }));
    // Opening 10,000 at once overflows the listen backlog; a few hundred at a time.
    if (i + 1 < sockets) (i % 200 === 199 ? setImmediate : queueMicrotask)(() => open(i + 1));
  };
  open(0);
} else {
  const accepted: Socket[] = [];
  const server = createServer((socket) => void accepted.push(socket.setNoDelay(true)));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const child = fork(new URL(import.meta.url).pathname, ['--client', String(port), '--sockets', String(sockets), '--bytes', String(bytes)], {
    execArgv: process.execArgv,
  });
  const messages: Array<Record<string, number>> = [];
  let wake: (() => void) | undefined;
  child.on('message', (m: Record<string, number>) => {
    messages.push(m);
    wake?.();
  });
  const next = () =>
    new Promise<Record<string, number>>((ok) => (messages.length ? ok(messages.shift()!) : (wake = () => ((wake = undefined), ok(messages.shift()!)))));
  const ready = await next();
  if (!ready.ready) throw new Error(`client: ${JSON.stringify(ready)}`);
  const chunk = Number(values.chunk);
  const rows: string[] = [];
  for (let event = 1; event <= Number(values.events); event++) {
    await new Promise((ok) => setTimeout(ok, 300));
    const cpu = process.cpuUsage();
    const message = Buffer.alloc(bytes, 0x20);
    message.writeUInt32LE(event, 0);
    message.writeDoubleLE(now(), 4);
    for (let i = 0; i < accepted.length; i += chunk) {
      for (const socket of accepted.slice(i, i + chunk)) socket.write(message);
      if (i + chunk < accepted.length) await new Promise((ok) => setImmediate(ok));
    }
    const used = process.cpuUsage(cpu);
    const got = await next();
    rows.push(
      `| ${event} | ${((used.user + used.system) / 1000).toFixed(1)} (${(used.system / 1000).toFixed(1)} system) | ${got.p50!.toFixed(1)} | ${got.p99!.toFixed(1)} | ${got.max!.toFixed(1)} |`,
    );
  }
  console.log(`${sockets} loopback sockets, ${bytes} bytes a message, written ${chunk} per event-loop turn\n`);
  console.log('| event | sender CPU, ms | p50 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|\n' + rows.join('\n'));
  child.kill();
  for (const socket of accepted) socket.destroy();
  server.close();
}
