// `npm run lint`, C++ part: checks native/ against .clang-format with clang-format (no changes made; run
// `clang-format -i native/src/*` to fix). Where clang-format is not installed it says so and passes: CI installs
// it (.ci/run), so a misformatted C++ change still fails there.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'native', 'src');
const files = readdirSync(dir)
  .filter((f) => /\.(cc|h)$/.test(f))
  .map((f) => join(dir, f));
const probe = spawnSync('clang-format', ['--version'], { encoding: 'utf8' });
if (probe.error) {
  console.log('lint: clang-format is not installed here; native/ formatting not checked (CI checks it).');
  process.exit(0);
}
const result = spawnSync('clang-format', ['--dry-run', '--Werror', ...files], { encoding: 'utf8' });
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  console.error('lint: native/ does not match .clang-format; run `clang-format -i native/src/*.cc native/src/*.h`.');
  process.exit(1);
}
console.log(`lint: ${files.length} C++ files match .clang-format.`);
