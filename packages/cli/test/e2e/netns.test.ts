import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createTestHosts, netnsUnavailable } from '../helpers/netns.js';

const skip = netnsUnavailable();

/** Connects from host `from` to a TCP echo server on host `to`; resolves true when bytes come back. */
function reachable(hosts: ReturnType<typeof createTestHosts>, from: number, to: number, port: number): Promise<boolean> {
  const script = `const s=require('net').connect(${port},'${hosts.addresses[to]}');s.setTimeout(800,()=>{console.log('timeout');process.exit(0)});s.on('error',()=>{console.log('error');process.exit(0)});s.on('data',()=>{console.log('ok');process.exit(0)});s.write('x')`;
  const [program, ...args] = hosts.execArgs(from, [process.execPath, '-e', script]);
  return new Promise((resolve) => {
    const child = spawn(program!, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', () => resolve(out.trim() === 'ok'));
  });
}

test('simulated hosts in network namespaces: reachable, partitioned, healed, cleaned up', { skip }, async () => {
  const hosts = createTestHosts(3, 78);
  const servers = [];
  try {
    for (let i = 0; i < 3; i++) {
      const [program, ...args] = hosts.execArgs(i, [process.execPath, '-e', "require('net').createServer((s)=>s.pipe(s)).listen(7000, () => console.log('up'))"]);
      const server = spawn(program!, args);
      servers.push(server);
      await new Promise<void>((resolve) => server.stdout.once('data', () => resolve()));
    }
    assert.equal(await reachable(hosts, 0, 1, 7000), true);
    assert.equal(await reachable(hosts, 2, 0, 7000), true);
    hosts.partition([2]);
    assert.equal(await reachable(hosts, 0, 2, 7000), false, 'host 2 is cut off');
    assert.equal(await reachable(hosts, 0, 1, 7000), true, 'the rest still talk');
    hosts.heal();
    assert.equal(await reachable(hosts, 0, 2, 7000), true, 'healed');
    if (!hosts.netem(20, 0)) process.stdout.write('# netem is not available in this kernel: delay and loss are not exercised\n');
  } finally {
    for (const server of servers) server.kill('SIGKILL');
    hosts.destroy();
  }
  const leftover = spawn('ip', ['netns', 'list']);
  let list = '';
  leftover.stdout.on('data', (d: Buffer) => { list += d.toString(); });
  await new Promise((resolve) => leftover.on('close', resolve));
  assert.doesNotMatch(list, new RegExp(`xl${process.pid % 100000}`), 'no namespace is left behind');
});
