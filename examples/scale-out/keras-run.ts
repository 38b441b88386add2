// Runs train_data_parallel.py from Node.js: on N virtual CPU devices in one process, or as P processes on this
// machine joined into one JAX cluster (what P hosts do on a real cluster, with 127.0.0.1 for their addresses).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

const HERE = import.meta.dirname;
export const SCRIPT = join(HERE, 'train_data_parallel.py');

/** What train_data_parallel.py writes with --report. */
export interface KerasReport {
  keras: string;
  jax: string;
  backend: string;
  processes: number;
  devices: string[];
  device_count: number;
  weight_replicas: number;
  samples: number;
  batch_size: number;
  per_device_batch: number;
  epochs: number;
  before: Record<string, number>;
  after: Record<string, number>;
  history: Record<string, number[]>;
  train_seconds: number;
  seconds: number;
}

export interface KerasRun {
  python: string;
  /** The .keras file to train, and where the trained one goes. */
  model: string;
  out: string;
  /** .npy files: training inputs and labels, inputs to predict; where the predictions and the report go. */
  x: string;
  y: string;
  predict: string;
  predictionsOut: string;
  report: string;
  epochs: number;
  batchSize: number;
  seed: number;
  /** CPU devices JAX pretends each process has (XLA_FLAGS=--xla_force_host_platform_device_count); 0: the devices JAX finds. */
  cpuDevices: number;
  /** Processes on this machine, one JAX cluster (1: just one process). */
  processes: number;
  timeoutMs: number;
  verbose: 0 | 1;
}

/** The venv's Python: DENDRITE_KERAS_VENV's, else .venv-keras's at the repository root (where `npm run setup:keras` puts it). */
export function defaultPython(): string {
  const venv = process.env.DENDRITE_KERAS_VENV || join(HERE, '..', '..', '.venv-keras');
  return join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
}

/** A TCP port free on 127.0.0.1 now, for the coordinator of a local cluster. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port on 127.0.0.1.');
  return address.port;
}

interface Exit {
  code: number | string;
  stderr: string;
}

/** Starts one process; its stdout goes to ours (prefixed) when `echo`, its stderr is kept for the error message. */
function start(python: string, args: string[], env: NodeJS.ProcessEnv, echo: boolean): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    if (echo) process.stdout.write(text.replace(/^(?=.)/gm, '  keras | '));
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
  const exit = new Promise<Exit>((done) => {
    child.on('error', (e) => done({ code: `not started (${e.message})`, stderr: '' }));
    child.on('close', (status, signal) => done({ code: status ?? signal ?? 'unknown', stderr: stderr.join('') }));
  });
  return { child, exit };
}

/** Runs train_data_parallel.py; resolves to its report, rejects with each failed process's exit and the end of its errors. */
export async function trainWithKeras(run: KerasRun): Promise<KerasReport> {
  if (!existsSync(run.python)) throw new Error(`No Python at ${run.python}: run \`npm run setup:keras\` (Keras 3 + JAX into .venv-keras), or pass --python.`);
  const env: NodeJS.ProcessEnv = { ...process.env, KERAS_BACKEND: 'jax', PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', TF_CPP_MIN_LOG_LEVEL: '3' };
  const args = [SCRIPT, run.model, '--x', run.x, '--y', run.y, '--out', run.out];
  args.push('--predict', run.predict, '--predictions-out', run.predictionsOut, '--report', run.report);
  args.push('--epochs', String(run.epochs), '--batch-size', String(run.batchSize), '--seed', String(run.seed));
  if (run.cpuDevices > 0) {
    env.JAX_PLATFORMS = 'cpu';
    env.XLA_FLAGS = `${env.XLA_FLAGS ?? ''} --xla_force_host_platform_device_count=${run.cpuDevices}`.trim();
    args.push('--expect-devices', String(run.cpuDevices * run.processes));
  }
  if (run.processes > 1) args.push('--coordinator', `127.0.0.1:${await freePort()}`, '--num-processes', String(run.processes));

  // process 0 hosts the coordinator the others connect to (they retry until it is up)
  const started = Array.from({ length: run.processes }, (_, i) =>
    start(run.python, run.processes > 1 ? [...args, '--process-id', String(i)] : args, env, run.verbose === 1 && i === 0),
  );
  const timer = setTimeout(() => {
    for (const { child } of started) child.kill('SIGKILL');
  }, run.timeoutMs);
  // one process failing leaves the others waiting for it at the next collective step: stop them too
  const exits = await Promise.all(
    started.map(async ({ exit }) => {
      const result = await exit;
      if (result.code !== 0) for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
      return result;
    }),
  );
  clearTimeout(timer);
  const failed = exits.map((e, i) => ({ ...e, i })).filter((e) => e.code !== 0);
  if (failed.length > 0) {
    const lines = failed.map(({ code, stderr, i }) => {
      const name = run.processes > 1 ? `train_data_parallel.py (process ${i})` : 'train_data_parallel.py';
      const how = code === 'SIGKILL' ? `was stopped (timeout after ${run.timeoutMs} ms, or another process failed)` : `exited with ${code}`;
      const tail = stderr
        .trim()
        .split('\n')
        .filter((l) => !/^\s+@\s+0x/.test(l))
        .slice(-8)
        .join('\n');
      // NOTE: seen with jaxlib 0.10.2: a model with a convolution trained on several virtual CPU devices of one
      // process deadlocks now and then in XLA:CPU's in-process all-reduce, which aborts after a timeout
      const hint = stderr.includes('Termination timeout')
        ? '\n(XLA:CPU collective deadlock, seen with convolutions on virtual CPU devices: use processes instead, one device each)'
        : '';
      return `${name} ${how}${tail ? `:\n${tail}` : ''}${hint}`;
    });
    throw new Error(lines.join('\n'));
  }
  return JSON.parse(await readFile(run.report, 'utf8')) as KerasReport;
}
