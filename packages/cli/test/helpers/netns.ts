import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Simulated hosts on one machine for end-to-end network tests: one Linux network namespace per
 * host, each wired by a veth pair to a bridge in a switch namespace, addresses 10.77.<net>.<i+1>/24.
 * Partitions take a host's switch port down; netem adds delay and loss where the kernel has it.
 * Everything is removed by `destroy()`; `netnsUnavailable()` says why a test must skip.
 */
export interface TestHosts {
  addresses: string[];
  /** Runs a command inside host i's namespace (argv[0] is the program). */
  execArgs(index: number, argv: string[]): string[];
  partition(isolated: number[]): void;
  heal(): void;
  /** Adds delay and loss on every host's link; returns false when netem is not available. */
  netem(delayMs: number, lossPercent: number): boolean;
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

export function createTestHosts(count: number, net = 77): TestHosts {
  const tag = `xl${process.pid % 100000}`;
  const switchNs = `${tag}sw`;
  const hostNs = (i: number) => `${tag}h${i}`;
  const created: string[] = [];
  const destroy = (): void => {
    for (const ns of created.reverse()) spawnSync('ip', ['netns', 'del', ns]);
    created.length = 0;
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
      ip('-n', hostNs(i), 'addr', 'add', `10.${net}.0.${i + 1}/24`, 'dev', 'eth0');
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
    addresses: Array.from({ length: count }, (_, i) => `10.${net}.0.${i + 1}`),
    execArgs: (index, argv) => ['ip', 'netns', 'exec', hostNs(index), ...argv],
    partition(isolated) {
      for (const i of isolated) ip('-n', switchNs, 'link', 'set', port(i), 'down');
    },
    heal() {
      for (let i = 0; i < count; i++) ip('-n', switchNs, 'link', 'set', port(i), 'up');
    },
    netem(delayMs, lossPercent) {
      for (let i = 0; i < count; i++) {
        const result = spawnSync('ip', ['netns', 'exec', hostNs(i), 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', `${delayMs}ms`, 'loss', `${lossPercent}%`], { stdio: 'pipe' });
        if (result.status !== 0) return false;
      }
      return true;
    },
    destroy,
  };
}
