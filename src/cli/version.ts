import { readFileSync } from 'node:fs';

/**
 * dendrite's version, from its package.json: two folders up from this file, both in src/cli/ and compiled in
 * dist/cli/. Read as a file rather than imported, since importing JSON would need an import attribute that the
 * compiled ESM would then carry into every bundler and Node version.
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
