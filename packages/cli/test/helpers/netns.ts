import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Simulated hosts on one machine for end-to-end network tests: one Linux network namespace per
 * host, each wired by a veth pair to a bridge in a switch namespace, addresses 10.<net>.0.<i+1>/24.
 * Partitions take a host's switch port down; netem adds delay and loss where the kernel has it.
 * With `{ management: true }` every host also gets a point-to-point link to the root namespace
 * (10.<net>.<i+1>.2, root side .1) that partitions do not cut, so the test runner can watch an
 * isolated host; hosts have no default route, so nothing crosses between hosts over these links.
 * Everything is removed by `destroy()` (processes still running in the namespaces are killed
 * first); `netnsUnavailable()` says why a test must skip.
 */
export interface TestHosts {
  addresses: string[];
  /** Where the root namespace reaches host i outside the switch; empty unless created with management links. */
  managementAddresses: string[];
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
  /** Kills what still runs in the namespaces, removes them and the management links; idempotent. */
  destroy(): void;
}

export interface TestHostOptions {
  /** Adds a link from the root namespace to every host that partitions leave up (default false). */
  management?: boolean;
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

export function createTestHosts(count: number, net = 77, options: TestHostOptions = {}): TestHosts {
  const tag = `xl${process.pid % 100000}`;
  const switchNs = `${tag}sw`;
  const hostNs = (i: number) => `${tag}h${i}`;
  const created: string[] = [];
  const rootLinks: string[] = [];
  const destroy = (): void => {
    for (const ns of created) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { stdio: 'pipe' }).stdout?.toString().split(/\s+/).filter((p) => p !== '') ?? [];
      for (const pid of pids) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    for (const link of rootLinks) spawnSync('ip', ['link', 'del', link], { stdio: 'pipe' });
    rootLinks.length = 0;
    for (const ns of created.reverse()) spawnSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
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
      if (options.management === true) {
        const link = `${tag}m${i}`;
        ip('link', 'add', link, 'type', 'veth', 'peer', 'name', `${tag}n${i}`);
        rootLinks.push(link);
        ip('link', 'set', `${tag}n${i}`, 'netns', hostNs(i));
        ip('-n', hostNs(i), 'link', 'set', `${tag}n${i}`, 'name', 'mgmt');
        ip('-n', hostNs(i), 'addr', 'add', `10.${net}.${i + 1}.2/24`, 'dev', 'mgmt');
        ip('-n', hostNs(i), 'link', 'set', 'mgmt', 'up');
        ip('addr', 'add', `10.${net}.${i + 1}.1/24`, 'dev', link);
        ip('link', 'set', link, 'up');
      }
    }
  } catch (error) {
    destroy();
    throw error;
  }
  const port = (i: number) => `${tag}b${i}`;
  return {
    addresses: Array.from({ length: count }, (_, i) => `10.${net}.0.${i + 1}`),
    managementAddresses: options.management === true ? Array.from({ length: count }, (_, i) => `10.${net}.${i + 1}.2`) : [],
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
    destroy,
  };
}
