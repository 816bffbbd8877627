import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
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

export interface StartNodeOptions {
  /** Appends the node's log (its stdout) to this file; otherwise the log is discarded. */
  logFile?: string;
  /** A node that does not serve within this is killed and the start fails (default 60 s). */
  startTimeoutMs?: number;
}

/** Starts `xinlian start HOME --api-port 0` and resolves once it prints the URL it serves. */
export function startNodeProcess(home: string, extraArgs: string[] = [], options: StartNodeOptions = {}): Promise<NodeProcess> {
  return new Promise((resolve, reject) => {
    const log = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [CLI, 'start', home, '--api-port', '0', ...extraArgs], { stdio: ['ignore', log ?? 'ignore', 'pipe'] });
    } finally {
      if (log !== undefined) closeSync(log); // the child holds its own copy
    }
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let stderr = '';
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never left running untracked: the caller has no handle yet
      reject(new Error(`node did not serve within ${startTimeoutMs} ms:\n${stderr}`));
    }, startTimeoutMs);
    child.once('exit', () => clearTimeout(timer));
    const onData = (d: Buffer): void => {
      stderr += d.toString();
      const match = /serving (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        // Later stderr (a crash's stack trace) joins the log when there is one.
        if (options.logFile !== undefined) {
          const logFile = options.logFile;
          child.stderr!.on('data', (d: Buffer) => {
            try {
              appendFileSync(logFile, d);
            } catch {
              // the log's directory was removed at cleanup: nothing left to keep it for
            }
          });
        } else {
          child.stderr!.resume();
        }
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
