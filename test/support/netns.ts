import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Hosts of their own for tests: network namespaces (`ip netns`) joined to this one by a veth pair each,
 * with no route anywhere else. Needs root and iproute2; `whyNamespacesUnavailable()` says what is
 * missing. Names carry the creating process's id, so a later run removes what a crashed one left
 * (`removeLeftoverHosts`) without touching a run still going.
 */

/** Prefix of every namespace these tests create: `fxh-<pid>-<name>`. */
const PREFIX = 'fxh-';

/** Why namespaces cannot be made here (not root, no `ip netns`), or null when they can. */
export function whyNamespacesUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'it needs root (network namespaces)';
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return `\`ip netns\` is unavailable (${ip.error?.message ?? ip.stderr.trim()}); install iproute2`;
  return null;
}

/** Runs a command to completion; throws with its stderr when it fails. */
function sh(...args: string[]): string {
  const run = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`${args.join(' ')}: ${run.error?.message ?? run.stderr.trim()}`);
  return run.stdout;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills what runs in namespace `ns` and deletes it (its veth pair goes with it). */
function removeNamespace(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync('ip', ['netns', 'del', ns]);
}

/** Removes namespaces (and the processes in them) of earlier runs whose process is gone. */
export function removeLeftoverHosts(): string[] {
  const removed: string[] = [];
  for (const line of sh('ip', 'netns', 'list').split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(ns);
    if (!match || isAlive(Number(match[1]))) continue;
    removeNamespace(ns);
    removed.push(ns);
  }
  return removed;
}

/** One namespace: `address` is its end of the veth pair, `hostAddress` this namespace's end. */
export class NamespaceHost {
  private readonly children = new Set<ChildProcess>();

  private constructor(
    /** The namespace's name (`ip netns exec <ns>`). */
    readonly ns: string,
    /** Its own address, where its servers listen for this host. */
    readonly address: string,
    /** This (the root) namespace's end of the pair: servers here listen on it for that host only. */
    readonly hostAddress: string,
  ) {}

  /**
   * Makes namespace number `index` (0–3) of this run: a /30 of 10.77.0.0/16 chosen by the process id, a
   * veth pair, and loopback up inside (its own processes talk to each other on its 127.0.0.1).
   */
  static create(name: string, index: number): NamespaceHost {
    const ns = `${PREFIX}${process.pid}-${name}`;
    const [outside, inside] = [`fxh${process.pid}${index}h`, `fxh${process.pid}${index}n`];
    if (outside.length > 15) throw new Error(`interface name ${outside} is longer than Linux allows`);
    // 64 runs' worth of subnets, 4 hosts each: a second run at the same time picks other addresses.
    const subnet = (process.pid % 64) * 4 + index;
    const [hostAddress, address] = [`10.77.${subnet}.1`, `10.77.${subnet}.2`];
    sh('ip', 'netns', 'add', ns);
    const host = new NamespaceHost(ns, address, hostAddress);
    try {
      sh('ip', 'link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      sh('ip', 'link', 'set', inside, 'netns', ns);
      sh('ip', 'addr', 'add', `${hostAddress}/30`, 'dev', outside);
      sh('ip', 'link', 'set', outside, 'up');
      sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
      sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${address}/30`, 'dev', inside);
      sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', inside, 'up');
    } catch (err) {
      host.remove();
      throw err;
    }
    return host;
  }

  /**
   * Starts `node --import tsx <args>` inside the namespace with `env` (nothing inherited but PATH).
   * `ip netns exec` execs the command itself, so the child's pid is node's and signals reach it.
   */
  node(args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.ns, process.execPath, '--import', 'tsx', ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Kills every process still running in the namespace and deletes it, with its veth pair. */
  remove(): void {
    for (const child of this.children) child.kill('SIGKILL');
    removeNamespace(this.ns);
  }
}

/**
 * Resolves with the first match of `pattern` in what `child` writes (stdout and stderr), within
 * `deadlineMs`; rejects when the child exits first or the time is up, with its output.
 */
export function untilOutput(child: ChildProcess, pattern: RegExp, deadlineMs: number): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no ${pattern} within ${deadlineMs} ms`), deadlineMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${why}:\n${output.slice(-4_000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(match);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(`exited with ${code}`));
  });
}

/** Sends SIGTERM and waits for the exit (SIGKILL after `deadlineMs`); resolves with the exit code. */
export async function stopProcess(child: ChildProcess, deadlineMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const [code] = await exited;
  clearTimeout(timer);
  return code;
}
