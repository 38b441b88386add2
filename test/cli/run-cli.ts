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
