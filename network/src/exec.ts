import { spawn } from 'node:child_process';
import { NetworkError } from './errors.js';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Print the command's output as it comes (long builds), instead of only on failure. */
  stream?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} exited with ${exitCode ?? 'a signal'}\n${lastLines(stderr || stdout, 25)}`);
    this.name = 'CommandError';
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Runs a program to completion; rejects with its output when it fails or overruns its deadline. */
export function run(program: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const label = [program.split('/').pop(), ...args.slice(0, 3)].join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.stream === true) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.stream === true) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new NetworkError(
          `${label} did not finish within ${timeoutMs / 1000} s`,
          'look at its output above and retry',
        ),
      );
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(new NetworkError(`${program} was not found`, `install it, or run npm run network:build`));
      } else reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new CommandError(label, code, stdout, stderr));
    });
  });
}
