// Running the `gatehouse` CLI as a child process: every wait bounded, every child tracked so
// that an after hook can kill whatever is still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CLI, REPO_ROOT } from './paths.js';

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An environment without the caller's config variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['GATEHOUSE_CONFIG', 'MLFLOW_DEPLOYMENTS_CONFIG', 'GATEHOUSE_LOG_LEVEL', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Run the CLI to completion (bounded); `input`, when given, is its stdin. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000, input?: string): Promise<CliRun> {
  return runNode([CLI, ...args], REPO_ROOT, timeoutMs, env, input);
}

/** Run a node script to completion (bounded); killed if it overruns. */
export function runNode(args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = process.env, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A long-running CLI child (gatehouse start) whose output is collected. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** JSON log lines written to stdout so far. */
  logLines(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Lines saying a process is listening (one per worker). */
  listening(): Record<string, unknown>[] {
    return this.logLines().filter((l) => typeof l.message === 'string' && l.message.startsWith('Gatehouse listening on'));
  }

  /** Wait until `predicate` holds for the output, polling; fails on exit or timeout. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (!this.running) throw new Error(`gatehouse exited while waiting for ${what}\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Wait for the exit, bounded. */
  async exit(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gatehouse did not exit within ${timeoutMs} ms\n${this.stdout}\n${this.stderr}`)), timeoutMs);
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** For after hooks: kill the child (and any worker pids it reported) if still alive. */
  async kill(): Promise<void> {
    // Only while the primary runs: its workers are then ours (no risk of a reused pid).
    if (!this.running) return;
    for (const line of this.listening()) {
      const pid = Number(line.pid);
      if (Number.isInteger(pid) && pid !== this.pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    this.child.kill('SIGKILL');
    await this.exit(5_000).catch(() => undefined);
  }
}
