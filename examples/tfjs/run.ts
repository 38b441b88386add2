// Runs the TensorFlow.js example programs ported to dendrite (this folder; see README.md), on dendrite or, for
// comparison, on TensorFlow.js itself: the same files with their import put back to '@tensorflow/tfjs'.
//
//     node --import tsx examples/tfjs/run.ts <program> [its arguments]
//     node --import tsx examples/tfjs/run.ts --tfjs <program> [its arguments]
//     node --import tsx examples/tfjs/run.ts --compare 5 <program> [its arguments]    (5 runs on each, the figures)
//     node --import tsx examples/tfjs/run.ts --compare 5 --tfjs <program> [its arguments]   (TF.js only; --dendrite: dendrite only)
//     --timeout S kills a run after S seconds (default 600).
//
// Each program runs in a child process from its own folder, as `node <entry>` would in the original's folder.
// On dendrite, tsx resolves 'dendrite/tfjs' to src/tfjs/index.ts through ./tsconfig.json (TSX_TSCONFIG_PATH), so
// nothing needs building; in a project that installs dendrite the same import resolves to the package.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

/** The figures a program's output shows (parsed from what it prints). */
export type Figures = Record<string, number>;

interface Program {
  /** The file the original's README runs, relative to the program's folder. */
  entry: string;
  /** Reads the figures from the program's standard output. */
  figures: (stdout: string) => Figures;
}

/** Every number that follows `label` in `text`, in order. */
function numbersAfter(text: string, label: RegExp): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(new RegExp(`${label.source}\\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)`, `g${label.flags}`))) out.push(Number(m[1]));
  return out;
}

/** The last number after `label`; NaN when there is none. */
function lastAfter(text: string, label: RegExp): number {
  const all = numbersAfter(text, label);
  return all.length > 0 ? all[all.length - 1] : Number.NaN;
}

/** iris and iris-fitDataset print the same lines (their ui.js stand-ins and ../shared/tfjs-vis.js). */
function irisFigures(out: string): Figures {
  return {
    firstLoss: numbersAfter(out, /lossCanvas: epoch \d+ loss=/)[0],
    loss: lastAfter(out, /lossCanvas: epoch \d+ loss=/),
    valLoss: lastAfter(out, /val_loss=/),
    testAccuracy: lastAfter(out, /correct \(accuracy/),
  };
}

export const PROGRAMS = {
  'polynomial-regression-core': {
    entry: 'index.js',
    figures: (out) => ({
      mseBefore: lastAfter(out, /#random \.plot: mean squared error/),
      mseAfter: lastAfter(out, /#trained \.plot: mean squared error/),
    }),
  },
  'mnist-core': {
    entry: 'index.js',
    figures: (out) => {
      const losses = numbersAfter(out, /loss\[\d+\]:/);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      return { firstLoss: losses[0], lossLast10: mean(losses.slice(-10)), steps: losses.length, testAccuracy: lastAfter(out, /Accuracy:/) / 100 };
    },
  },
  iris: { entry: 'index.js', figures: irisFigures },
  'iris-fitDataset': { entry: 'index.js', figures: irisFigures },
  'mnist-node': {
    entry: 'main.js',
    figures: (out) => ({
      trainAccuracy: lastAfter(out, / - acc(?:uracy)?:/),
      valAccuracy: lastAfter(out, /val_acc(?:uracy)?:/),
      testLoss: lastAfter(out, /Loss =/),
      testAccuracy: lastAfter(out, /Accuracy =/),
      // the last epoch's training samples per second (dendrite's progress bar; the TF.js stand-in's epoch line)
      samplesPerSecond: Number([...out.matchAll(/(\d+) samples\/s/g)].pop()?.[1] ?? Number.NaN),
    }),
  },
  'abalone-node': {
    entry: 'train.js',
    figures: (out) => ({
      firstLoss: numbersAfter(out, / - loss:/)[0],
      loss: lastAfter(out, / - loss:/),
      valLoss: lastAfter(out, /val_loss:/),
      prediction: lastAfter(out, /the inference result from the model is/),
    }),
  },
  'data-generator': {
    entry: 'index.js',
    figures: (out) => ({
      firstLoss: numbersAfter(out, /training-loss-canvas: epoch \d+ loss=/)[0],
      loss: lastAfter(out, /training-loss-canvas: epoch \d+ loss=/),
      valLoss: lastAfter(out, /training-loss-canvas: epoch \d+ loss=[0-9.]+ val_loss=/),
      valAccuracy: lastAfter(out, /val_acc(?:uracy)?:/),
      predictionFor13s: lastAfter(out, /prediction for the hand 13,13,13:/),
    }),
  },
  'cart-pole': {
    entry: 'index.js',
    figures: (out) => {
      const steps = numbersAfter(out, /mean steps per game/);
      return { firstIteration: steps[0], lastIteration: steps[steps.length - 1], best: steps.reduce((a, b) => Math.max(a, b), 0) };
    },
  },
} satisfies Record<string, Program>;

export type ProgramName = keyof typeof PROGRAMS;

export interface RunOptions {
  /** Run on TensorFlow.js (@tensorflow/tfjs, its pure-JavaScript cpu backend) instead of dendrite. */
  tfjs?: boolean;
  /** Extra environment variables for the child process. */
  env?: Record<string, string>;
  /** Kill the program after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Echo the program's output while it runs. */
  echo?: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole child process, start-up included. */
  seconds: number;
  figures: Figures;
}

/** A copy of this folder in a temporary folder with every 'dendrite/tfjs' import put back to '@tensorflow/tfjs'. */
function tfjsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-examples-'));
  cpSync(HERE, dir, { recursive: true, filter: (src) => !/(tsconfig\.json|README\.md|run\.ts)$/.test(src) });
  const rewrite = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) rewrite(path);
      else if (name.endsWith('.js')) {
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, text.replace(/(['"])dendrite\/tfjs\1/g, "'@tensorflow/tfjs'"));
      }
    }
  };
  rewrite(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs one ported program with `args` and returns its output and figures. */
export async function runProgram(name: ProgramName, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  const program: Program = PROGRAMS[name];
  if (program === undefined) throw new Error(`run: no program '${name}'; the programs are ${Object.keys(PROGRAMS).join(', ')}.`);
  const copy = options.tfjs ? tfjsCopy() : null;
  const cwd = join(copy ?? HERE, name);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (copy === null) env.TSX_TSCONFIG_PATH = join(HERE, 'tsconfig.json');
  const started = performance.now();
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      // on TF.js, the stand-in for what tfjs-node adds (an epoch logger, file:// models) loads first
      const preload = copy === null ? [] : ['--import', pathToFileURL(join(copy, 'shared', 'tfjs-node-stand-in.mjs')).href];
      const child = spawn(process.execPath, ['--import', 'tsx', ...preload, program.entry, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        if (options.echo) process.stdout.write(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
        if (options.echo) process.stderr.write(chunk);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
      // a program outlives neither its time limit nor the exit of this process
      const killChild = () => child.kill('SIGKILL');
      process.once('exit', killChild);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        process.off('exit', killChild);
        const seconds = (performance.now() - started) / 1000;
        resolve({ code, stdout, stderr, seconds, figures: program.figures(stdout) });
      });
    });
  } finally {
    if (copy !== null) rmSync(copy, { recursive: true, force: true });
  }
}

function summary(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const f = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
  const min = finite.reduce((a, b) => Math.min(a, b));
  const max = finite.reduce((a, b) => Math.max(a, b));
  return `mean ${f(mean)}, min ${f(min)}, max ${f(max)} (${finite.length} runs)`;
}

async function main(argv: string[]): Promise<void> {
  let tfjs = false;
  let dendrite = false;
  let compare = 0;
  let timeoutMs: number | undefined;
  while (argv[0]?.startsWith('--')) {
    const flag = argv.shift();
    if (flag === '--tfjs') tfjs = true;
    else if (flag === '--dendrite') dendrite = true;
    else if (flag === '--compare') compare = Number(argv.shift());
    else if (flag === '--timeout') timeoutMs = Number(argv.shift()) * 1000;
    else throw new Error(`run: unknown option ${flag}`);
  }
  const [name, ...args] = argv;
  if (!(name in PROGRAMS)) throw new Error(`usage: run.ts [--tfjs | --compare N] <program> [args]; programs: ${Object.keys(PROGRAMS).join(', ')}`);
  if (compare === 0) {
    const r = await runProgram(name as ProgramName, args, { tfjs, echo: true });
    process.exitCode = r.code ?? 1;
    return;
  }
  const libraries = tfjs === dendrite ? (['dendrite', 'tfjs'] as const) : tfjs ? (['tfjs'] as const) : (['dendrite'] as const);
  for (const library of libraries) {
    const runs: RunResult[] = [];
    for (let i = 0; i < compare; i++) {
      const r = await runProgram(name as ProgramName, args, { tfjs: library === 'tfjs', timeoutMs });
      if (r.code !== 0) throw new Error(`${name} on ${library} exited with ${r.code}:\n${r.stderr.slice(-4000)}`);
      console.log(`${library} run ${i + 1}: ${JSON.stringify(r.figures)} (${r.seconds.toFixed(1)} s)`);
      runs.push(r);
    }
    for (const key of Object.keys(runs[0].figures)) console.log(`${library} ${key}: ${summary(runs.map((r) => r.figures[key]))}`);
    console.log(`${library} wall time: ${summary(runs.map((r) => r.seconds))}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
