import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled CLI launcher, exactly what `npx xinlian` runs. */
export const CLI = fileURLToPath(new URL('../../../bin/xinlian.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `xinlian ...args` as a real process and collects its output. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `xinlian start HOME --api-port 0` and resolves once it prints the URL it serves. */
export function startNodeProcess(home: string, extraArgs: string[] = []): Promise<NodeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'start', home, '--api-port', '0', ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let stderr = '';
    const onData = (d: Buffer): void => {
      stderr += d.toString();
      const match = /serving (http:\/\/\S+)/.exec(stderr);
      if (match) {
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        resolve({
          url: match[1]!,
          child,
          exited,
          async stop(signal: NodeJS.Signals = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before serving:\n${stderr}`)));
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `xinlian-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
