import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Runs a TypeScript entry point as a real child process (so a test can SIGKILL it), with the
 * workspace's path aliases. Output is kept for the failure message.
 */
export class ChildService {
  readonly output: string[] = [];
  private readonly exit: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(entry: string, env: Record<string, string>): ChildService {
    // NODE_EXTRA_ARGS: flags NODE_OPTIONS refuses (e.g. --cpu-prof for benchmark profiles).
    const extra = (env.NODE_EXTRA_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...extra, '-r', '@swc-node/register', path.join(repoRoot, entry)], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ChildService(child);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }

  /** Resolves with the exit code (null when a signal ended it). */
  exited(): Promise<number | null> {
    return this.exit;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 40): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }
}
