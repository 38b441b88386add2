// The conformance runner: every fixture in test/fixtures/conformance (plus CONFORMANCE_DIR's, when set) runs
// through dendrite's public API, dispatched on `op` and `params` only, and is compared with its reference.
import { relative } from 'node:path';
import type * as dd from '../../src/index.js';
import { conformanceFixtures, conformanceFolders } from '../fixtures/conformance.js';
import type { Expected, Fixture, FixtureTensor } from './fixture.js';
import { handlers, Skip, type Result } from './handlers.js';

/** Largest violation of |got - want| <= atol + rtol |want|, and the largest absolute error. */
function compare(got: dd.Tensor, want: FixtureTensor, tol: Fixture['tolerance']): { ok: boolean; maxErr: number; why?: string } {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return { ok: false, maxErr: Infinity, why: `shape ${JSON.stringify(got.shape)} vs ${JSON.stringify(want.shape)}` };
  }
  let ok = true;
  let maxErr = 0;
  for (let i = 0; i < want.data.length; i++) {
    const err = Math.abs(got.values[i] - want.data[i]);
    if (!(err <= tol.atol + tol.rtol * Math.abs(want.data[i]))) ok = false;
    if (!(err <= maxErr)) maxErr = err;
  }
  return { ok, maxErr };
}

/** Checks output, each extra output and each gradient; returns the first failure or the largest error. */
function check(result: Result, expected: Expected, tol: Fixture['tolerance']): { ok: boolean; maxErr: number; why: string } {
  let maxErr = 0;
  const parts: [string, dd.Tensor | undefined, FixtureTensor][] = [];
  if (expected.output) parts.push(['output', result.output, expected.output]);
  for (const [k, v] of Object.entries(expected.extra_outputs ?? {})) parts.push([`extra_outputs.${k}`, result.extras?.[k], v]);
  for (const [k, v] of Object.entries(expected.grads ?? {})) parts.push([`grads.${k}`, result.grads?.[k], v]);
  for (const [what, got, want] of parts) {
    if (!got) return { ok: false, maxErr: Infinity, why: `${what} not produced` };
    const c = compare(got, want, tol);
    maxErr = Math.max(maxErr, c.maxErr);
    if (!c.ok) return { ok: false, maxErr, why: `${what}: ${c.why ?? `max error ${c.maxErr.toExponential(2)}`}` };
  }
  return { ok: true, maxErr, why: '' };
}

async function runFixture(fixture: Fixture): Promise<{ status: 'pass' | 'FAIL' | 'skipped'; detail: string }> {
  const handler = handlers[fixture.op];
  if (!handler) return { status: 'skipped', detail: `op '${fixture.op}' is not implemented` };
  let result: Result;
  try {
    result = await handler(fixture);
  } catch (e) {
    if (e instanceof Skip) return { status: 'skipped', detail: e.message };
    return { status: 'FAIL', detail: `error: ${(e as Error).message}` };
  }
  const primary = check(result, { output: fixture.output, extra_outputs: fixture.extra_outputs, grads: fixture.grads }, fixture.tolerance);
  if (primary.ok) return { status: 'pass', detail: `max error ${primary.maxErr.toExponential(2)}` };
  if (fixture.alt) {
    const alt = check(
      result,
      {
        output: fixture.alt.output ?? fixture.output,
        extra_outputs: { ...fixture.extra_outputs, ...fixture.alt.extra_outputs },
        grads: { ...fixture.grads, ...fixture.alt.grads },
      },
      fixture.tolerance,
    );
    if (alt.ok) return { status: 'pass', detail: `max error ${alt.maxErr.toExponential(2)} (alt convention)` };
  }
  return { status: 'FAIL', detail: primary.why };
}

const counts = { pass: 0, FAIL: 0, skipped: 0 };
/** A folder inside the working directory by its relative path, any other by its absolute one. */
const shown = (dir: string) => (relative(process.cwd(), dir).startsWith('..') ? dir : relative(process.cwd(), dir) || '.');
console.log(`fixtures from ${conformanceFolders().map(shown).join(' and ')}`);
for (const { file, fixture, origin } of conformanceFixtures()) {
  const { status, detail } = await runFixture(fixture);
  counts[status]++;
  // only fixtures that did not come from the repository are marked, so the usual run reads as before
  const from = origin === 'repository' ? '' : ` [${origin}]`;
  console.log(`${status.padEnd(7)} ${file.replace(/\.json$/, '').padEnd(48)} ${detail}${from}`);
}
console.log(`conformance: ${counts.pass} passed, ${counts.FAIL} failed, ${counts.skipped} skipped`);
process.exitCode = counts.FAIL > 0 ? 1 : 0;
