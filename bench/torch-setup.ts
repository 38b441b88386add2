// The PyTorch builds `npm run bench` compares with: the system python3's torch, if it has one (Debian's
// python3-torch 1.13), and a current PyTorch 2.x CPU wheel found on the machine, installed once into the
// git-ignored .bench-torch/ and imported through PYTHONPATH (never system-wide). `npm run setup:bench` does the
// install ahead of time; the bench does it on its first run otherwise, saying what it does.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
/** Where the wheel is installed (git-ignored). */
export const TORCH_DIR = join(root, '.bench-torch');
const PYTHONS = ['/usr/bin/python3', 'python3'];
/** torch's own imports that a python3 may lack; installed beside torch in TORCH_DIR when missing. */
const TORCH_DEPS = ['numpy', 'typing_extensions', 'filelock', 'sympy', 'mpmath', 'networkx', 'jinja2', 'markupsafe', 'fsspec'];

export interface TorchBuild {
  python: string;
  /** The environment to run it in (PYTHONPATH for the wheel). */
  env: NodeJS.ProcessEnv;
  /** torch.__version__, e.g. '2.13.0+cpu'. */
  version: string;
  /** 'system' or the folder it was installed into. */
  where: string;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/** `DENDRITE_TORCH_WHEEL`, else the newest torch-2.*+cpu wheel on the file system (by version in its name). */
function findWheel(): string | null {
  const given = process.env.DENDRITE_TORCH_WHEEL;
  if (given) return existsSync(given) ? given : null;
  const r = spawnSync(
    'find',
    ['/', '(', '-path', '/proc', '-o', '-path', '/sys', '-o', '-path', '/dev', ')', '-prune', '-o', '-name', 'torch-2.*+cpu*.whl', '-print'],
    {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    },
  );
  const version = (f: string) => (/torch-2\.(\d+)\.(\d+)/.exec(f) ?? ['', '0', '0']).slice(1).map(Number);
  const wheels = (r.stdout ?? '')
    .split('\n')
    .filter((f) => f.endsWith('.whl'))
    .sort((a, b) => {
      const [va, vb] = [version(a), version(b)];
      return vb[0] - va[0] || vb[1] - va[1];
    });
  return wheels[0] ?? null;
}

/** The python3 interpreters on the machine, each once. */
function pythons(): string[] {
  return PYTHONS.filter((py) => spawnSync(py, ['--version']).status === 0);
}

function probe(python: string, env: NodeJS.ProcessEnv): { version?: string; file?: string; missing?: string; error?: string } {
  const r = spawnSync(python, ['-c', 'import numpy, torch; print(torch.__version__, torch.__file__)'], { env, encoding: 'utf8' });
  if (r.status === 0) {
    const [version, file] = r.stdout.trim().split(' ');
    return { version, file };
  }
  const missing = /No module named '([\w.]+)'/.exec(r.stderr ?? '')?.[1]?.split('.')[0];
  return { missing, error: (r.stderr ?? '').trim().split('\n').at(-1) };
}

/** Installs the newest PyTorch 2.x CPU wheel found on the machine into TORCH_DIR. False (and why, on stderr) if none could be. */
export function installTorch(): boolean {
  const wheel = findWheel();
  if (!wheel) {
    say('bench: no torch-2.*+cpu wheel on this machine (set DENDRITE_TORCH_WHEEL=path to give one): PyTorch 2.x skipped');
    return false;
  }
  for (const py of pythons()) {
    say(`bench: installing ${wheel} into ${TORCH_DIR} (${py} -m pip install --no-deps --target ...; once)`);
    mkdirSync(TORCH_DIR, { recursive: true });
    const r = spawnSync(py, ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '--target', TORCH_DIR, wheel], { encoding: 'utf8' });
    if (r.status === 0) return true;
    say(`  failed: ${(r.stderr || r.stdout || '').trim().split('\n').at(-1)}`);
  }
  return false;
}

/** The wheel in TORCH_DIR, run by the first python3 that imports it (with numpy): missing dependencies of torch's
 * (numpy, typing_extensions, ...) are installed beside it with pip, one by one, saying so. */
function wheelBuild(): TorchBuild | null {
  if (!existsSync(join(TORCH_DIR, 'torch')) && !installTorch()) return null;
  const env = { ...process.env, PYTHONPATH: [TORCH_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
  let lastError = '';
  // a python3 that imports it as it is first; then one that lacks only torch's pure dependencies, given them
  for (const install of [false, true]) {
    for (const py of pythons()) {
      for (let attempt = 0; attempt <= TORCH_DEPS.length; attempt++) {
        const p = probe(py, env);
        if (p.version) return { python: py, env, version: p.version, where: TORCH_DIR };
        lastError = `${py}: ${p.error}`;
        if (!install || !p.missing || !TORCH_DEPS.includes(p.missing)) break;
        const pkg = p.missing.replace('_', '-');
        say(`bench: ${py} lacks ${p.missing} for PyTorch: ${py} -m pip install --no-deps --target ${TORCH_DIR} ${pkg}`);
        const r = spawnSync(
          py,
          ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '--retries', '1', '--timeout', '20', '--target', TORCH_DIR, pkg],
          {
            encoding: 'utf8',
          },
        );
        if (r.status !== 0) break;
      }
    }
  }
  say(`bench: the PyTorch in ${TORCH_DIR} does not import (${lastError}): skipped`);
  return null;
}

/** Every PyTorch build found: the system python3's (if any), then the 2.x wheel's (installed on first use). */
export function torchBuilds(): TorchBuild[] {
  const builds: TorchBuild[] = [];
  const seen = new Set<string>();
  const env = { ...process.env };
  delete env.PYTHONPATH;
  for (const py of pythons()) {
    const p = probe(py, env);
    if (!p.version || seen.has(p.file!)) continue;
    seen.add(p.file!);
    builds.push({ python: py, env, version: p.version, where: 'system' });
  }
  const wheel = wheelBuild();
  if (wheel) builds.push(wheel);
  return builds;
}

if (process.argv[1]?.endsWith('torch-setup.ts')) {
  const builds = torchBuilds();
  if (builds.length === 0) say('no PyTorch found or installed');
  for (const b of builds) console.log(`PyTorch ${b.version}: ${b.python}${b.where === 'system' ? '' : ` with PYTHONPATH=${b.where}`}`);
}
