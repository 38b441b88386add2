// The dependency check (`npm run depcheck`, part of `npm test`): no import cycles, and every folder of src
// imports only the floors below it (docs/architecture.md). Type-only imports and dynamic `import()` count:
// a cycle of types is still a tangle. dependency-cruiser parses with swc because it cannot use TypeScript 7.

/**
 * Each folder of src, bottom to top, with the folders it may import besides itself and why. src/env.ts (the
 * DENDRITE_* switches) imports nothing and any folder may read it; src/index.ts, the public entry, may import
 * everything and nothing imports it.
 */
const FLOORS = {
  tensor: { may: [], why: 'floor 1: tensors, shapes and the RNG are the ground everything stands on' },
  backend: { may: ['tensor'], why: 'floor 2: kernels work on raw arrays and know nothing of ops or layers' },
  autograd: { may: ['tensor', 'backend'], why: 'floor 3: ops record onto the tape, so the tape imports no op (it sums gradients with the add kernel)' },
  ops: { may: ['tensor', 'backend', 'autograd'], why: 'floor 3: ops read the grad mode and attach tensor.backward() from the tape' },
  nn: { may: ['tensor', 'backend', 'autograd', 'ops'], why: 'floor 4: layers, losses and optimizers are built from ops' },
  data: { may: ['tensor', 'backend', 'autograd', 'ops', 'nn'], why: 'floor 5: data sets and encoders feed models but never need one' },
  io: {
    may: ['tensor', 'backend', 'autograd', 'ops', 'nn'],
    why: 'floor 5: the file layer works on a saveable interface (io/saveable-model.ts), never on the model, which imports io to save',
  },
  model: { may: ['tensor', 'backend', 'autograd', 'ops', 'nn', 'data', 'io'], why: 'floor 5: Sequential saves and loads through io and batches with data' },
  report: {
    may: ['tensor', 'backend', 'autograd', 'ops', 'nn', 'data', 'io', 'model'],
    why: 'floor 5: reports draw what training produced (History) and write through io',
  },
  tabular: {
    may: ['tensor', 'backend', 'autograd', 'ops', 'nn', 'data', 'io', 'model'],
    why: 'floor 5: tables are encoded with data and trained as models; nothing below knows tables',
  },
  tfjs: {
    may: ['tensor', 'backend', 'autograd', 'ops', 'nn', 'data', 'io', 'model'],
    why: "floor 6: the TensorFlow.js surface (dendrite/tfjs) maps TF.js' names onto the library, and nothing in the library uses it",
  },
  cli: {
    may: ['tensor', 'backend', 'autograd', 'ops', 'nn', 'data', 'io', 'model', 'report', 'tabular'],
    why: 'floor 6: the command uses the whole library, and nothing in the library uses the command',
  },
};

const floorRules = Object.entries(FLOORS).map(([folder, { may, why }]) => ({
  name: `${folder}-imports-only-below`,
  comment: why,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: [`^src/(${[folder, ...may].join('|')})/`, '^src/env\\.ts$'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle makes its files one tangle: none can be understood, tested or loaded without the others',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...floorRules,
    {
      name: 'every-folder-has-a-floor',
      comment: 'a new folder of src must be placed on a floor in FLOORS above, or nothing checks what it imports',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(${Object.keys(FLOORS).join('|')})/`, '^src/(index|env)\\.ts$'] },
      to: { path: '^src/' },
    },
    {
      name: 'env-imports-nothing',
      comment: 'the environment switches sit below every floor, so every floor may read them',
      severity: 'error',
      from: { path: '^src/env\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'src-not-to-public-entry',
      comment: 'src/index.ts is for users; library code importing it would depend on every floor at once',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'src-not-to-outside',
      comment: 'the published library holds src only: tests, benchmarks, examples, scripts and the playground build on it, never the reverse',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|examples|scripts|web)/' },
    },
    {
      name: 'web-only-through-public-entry',
      comment: "the playground is built on the public API only ('dendrite', an alias of src/index.ts)",
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/index\\.ts$' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^web/dist/' },
  },
};
