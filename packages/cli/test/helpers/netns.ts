import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Simulated hosts on one machine for end-to-end network tests: one Linux network namespace per
 * host, each wired by a veth pair to a bridge in a switch namespace, addresses 10.<net>.0.<i+1>/24.
 * Partitions take a host's switch port down; netem adds delay and loss where the kernel has it.
 * `expose()` lets the test runner reach a port inside a host through a relay over a Unix socket
 * (sockets on the file system cross network namespaces), so watching an isolated host needs no
 * routing from the root namespace, where a machine's firewall may drop traffic to unknown
 * networks. Everything is removed by `destroy()` (processes still running in the namespaces are
 * killed first); `netnsUnavailable()` says why a test must skip.
 */
export interface TestHosts {
  addresses: string[];
  /** Runs a command inside host i's namespace (argv[0] is the program). */
  execArgs(index: number, argv: string[]): string[];
  /** Takes these hosts' switch ports down: each is cut off from everyone, the others from each other too. */
  partition(isolated: number[]): void;
  /**
   * Splits the switch: each group gets its own bridge, so hosts talk within their group only
   * (e.g. [[0, 1], [2, 3]]); hosts in no group are cut off.
   */
  split(groups: number[][]): void;
  /** Every port up and back on the one bridge. */
  heal(): void;
  /** Adds delay and loss on every host's link; returns false when netem is not available. */
  netem(delayMs: number, lossPercent: number): boolean;
  /**
   * A port on 127.0.0.1 in the test's namespace that leads to `port` on host i's loopback,
   * whatever partitions do to the switch.
   */
  expose(index: number, port: number): Promise<number>;
  /** Kills what still runs in the namespaces, removes them and the relays; idempotent. */
  destroy(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** undefined when namespaces can be created here; otherwise the reason to skip. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  const name = `xlprobe${process.pid}`;
  const probe = spawnSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
  if (probe.error !== undefined || probe.status !== 0) {
    return `cannot create network namespaces here (${probe.error?.message ?? probe.stderr.toString().trim()}); run as root with iproute2`;
  }
  spawnSync('ip', ['netns', 'del', name]);
  return undefined;
}

// Runs inside a host: accepts on a Unix socket and forwards each connection to a loopback port.
const RELAY = `
const net = require('node:net');
const [socketPath, port] = process.argv.slice(1);
net.createServer((inbound) => {
  const outbound = net.connect(Number(port), '127.0.0.1');
  inbound.on('error', () => outbound.destroy());
  outbound.on('error', () => inbound.destroy());
  inbound.pipe(outbound).pipe(inbound);
}).listen(socketPath, () => process.stdout.write('ready\\n'));
`;

function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.pipe(b).pipe(a);
}

export function createTestHosts(count: number, subnet = 77): TestHosts {
  const tag = `xl${process.pid % 100000}`;
  const switchNs = `${tag}sw`;
  const hostNs = (i: number) => `${tag}h${i}`;
  const created: string[] = [];
  const relays: ChildProcess[] = [];
  const listeners: net.Server[] = [];
  let socketDir: string | undefined;
  const destroy = (): void => {
    for (const listener of listeners) listener.close();
    listeners.length = 0;
    for (const relay of relays) relay.kill('SIGKILL');
    relays.length = 0;
    for (const ns of created) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { stdio: 'pipe' }).stdout?.toString().split(/\s+/).filter((p) => p !== '') ?? [];
      for (const pid of pids) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    for (const ns of created.reverse()) spawnSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
    created.length = 0;
    if (socketDir !== undefined) rmSync(socketDir, { recursive: true, force: true });
    socketDir = undefined;
  };
  try {
    ip('netns', 'add', switchNs);
    created.push(switchNs);
    ip('-n', switchNs, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', switchNs, 'link', 'set', 'br0', 'up');
    for (let i = 0; i < count; i++) {
      ip('netns', 'add', hostNs(i));
      created.push(hostNs(i));
      ip('link', 'add', `${tag}a${i}`, 'type', 'veth', 'peer', 'name', `${tag}b${i}`);
      ip('link', 'set', `${tag}a${i}`, 'netns', hostNs(i));
      ip('link', 'set', `${tag}b${i}`, 'netns', switchNs);
      ip('-n', hostNs(i), 'link', 'set', `${tag}a${i}`, 'name', 'eth0');
      ip('-n', hostNs(i), 'addr', 'add', `10.${subnet}.0.${i + 1}/24`, 'dev', 'eth0');
      ip('-n', hostNs(i), 'link', 'set', 'eth0', 'up');
      ip('-n', hostNs(i), 'link', 'set', 'lo', 'up');
      ip('-n', switchNs, 'link', 'set', `${tag}b${i}`, 'master', 'br0');
      ip('-n', switchNs, 'link', 'set', `${tag}b${i}`, 'up');
    }
  } catch (error) {
    destroy();
    throw error;
  }
  const port = (i: number) => `${tag}b${i}`;
  return {
    addresses: Array.from({ length: count }, (_, i) => `10.${subnet}.0.${i + 1}`),
    execArgs: (index, argv) => ['ip', 'netns', 'exec', hostNs(index), ...argv],
    partition(isolated) {
      for (const i of isolated) ip('-n', switchNs, 'link', 'set', port(i), 'down');
    },
    split(groups) {
      const grouped = new Set(groups.flat());
      for (let i = 0; i < count; i++) if (!grouped.has(i)) ip('-n', switchNs, 'link', 'set', port(i), 'down');
      groups.forEach((group, g) => {
        const bridge = `br${g + 1}`;
        if (spawnSync('ip', ['-n', switchNs, 'link', 'show', bridge], { stdio: 'pipe' }).status !== 0) {
          ip('-n', switchNs, 'link', 'add', bridge, 'type', 'bridge');
          ip('-n', switchNs, 'link', 'set', bridge, 'up');
        }
        for (const i of group) ip('-n', switchNs, 'link', 'set', port(i), 'master', bridge);
      });
    },
    heal() {
      for (let i = 0; i < count; i++) {
        ip('-n', switchNs, 'link', 'set', port(i), 'master', 'br0');
        ip('-n', switchNs, 'link', 'set', port(i), 'up');
      }
    },
    netem(delayMs, lossPercent) {
      for (let i = 0; i < count; i++) {
        const result = spawnSync('ip', ['netns', 'exec', hostNs(i), 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', `${delayMs}ms`, 'loss', `${lossPercent}%`], { stdio: 'pipe' });
        if (result.status !== 0) return false;
      }
      return true;
    },
    async expose(index, port) {
      socketDir ??= mkdtempSync(join(tmpdir(), 'xinlian-netns-'));
      const socketPath = join(socketDir, `h${index}-${port}.sock`);
      const relay = spawn('ip', ['netns', 'exec', hostNs(index), process.execPath, '-e', RELAY, socketPath, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      relays.push(relay);
      await new Promise<void>((resolve, reject) => {
        relay.once('exit', (code) => reject(new Error(`relay into ${hostNs(index)} exited with ${code}`)));
        relay.stdout!.once('data', () => resolve());
      });
      const listener = net.createServer((inbound) => pipeBoth(inbound, net.connect(socketPath)));
      listeners.push(listener);
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      return (listener.address() as net.AddressInfo).port;
    },
    destroy,
  };
}
