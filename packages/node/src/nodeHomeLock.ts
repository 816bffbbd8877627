import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XinlianError } from '@xinlian/protocol';

/** Whether a process with this pid exists (one we may not signal counts as existing). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One node per home: NODE_HOME/node.pid is created exclusively. LMDB lets two processes open one
 * store, and two nodes on one chain directory would each produce their own block at a height. A
 * pid file left by a killed node (kill -9) is stale and taken over. Returns the release function.
 */
export function lockNodeHome(home: string): () => void {
  const path = join(home, 'node.pid');
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
      throw new XinlianError('UNAVAILABLE', `node home ${home} is in use by the running process ${pid}`);
    }
    writeFileSync(path, `${process.pid}\n`);
  }
  return () => rmSync(path, { force: true });
}
