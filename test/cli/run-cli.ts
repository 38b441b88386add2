import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled `dendrite` bin (as a user would after `npm install`) with `args`. */
export function runCli(args: readonly string[], options: { timeoutMs?: number; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [`${repoRoot}bin/dendrite.js`, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A line of a Node stack trace: the CLI never prints one for bad input. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

/** A failed run: exit code 1, one line on stderr matching `pattern`, no stack trace, no hint to --debug. */
export function assertOneLineError(args: string[], pattern: RegExp, options: { timeoutMs?: number; cwd?: string } = {}): CliResult {
  const r = runCli(args, options);
  if (r.status !== 1) throw new Error(`expected exit code 1, got ${r.status}: ${r.stdout}${r.stderr}`);
  if (!pattern.test(r.stderr)) throw new Error(`stderr does not match ${pattern}: ${r.stderr}`);
  if (STACK_LINE.test(r.stderr)) throw new Error(`stderr holds a stack trace: ${r.stderr}`);
  if (r.stderr.trim().split('\n').length !== 1) throw new Error(`stderr is not one line: ${r.stderr}`);
  if (/--debug/.test(r.stderr)) throw new Error(`bad input is not a bug: no hint to --debug: ${r.stderr}`);
  return r;
}
