// A stand-in for the `argparse` npm package, which the Node.js examples require for their command-line flags but
// which is not among this repository's dependencies. It covers what the examples call, in both spellings of that
// package: 2.x (`add_argument(name, {type, default, help})`, `parse_args()`, `add_help`) and 1.x (`addArgument`,
// `defaultValue`, `parseArgs`, `addHelp`, `action: 'storeTrue'`), on Node.js' util.parseArgs. Flags keep their
// names (`--batch_size` gives `args.batch_size`); `type: 'int'` and `'float'` parse numbers; `--help` prints them.
'use strict';
const { parseArgs } = require('node:util');

class ArgumentParser {
  constructor(options = {}) {
    this.description = options.description ?? '';
    this.flags = [];
  }

  add_argument(name, options = {}) {
    const flag = Array.isArray(name) ? name[0] : name;
    if (!flag.startsWith('--')) throw new Error(`argparse stand-in: only --flags are supported, got ${flag}`);
    this.flags.push({
      name: flag.slice(2),
      type: options.type ?? 'string',
      boolean: options.action === 'storeTrue' || options.action === 'store_true',
      default: options.default ?? options.defaultValue ?? (options.action === 'storeTrue' || options.action === 'store_true' ? false : null),
      help: options.help ?? '',
    });
  }

  addArgument(name, options) {
    this.add_argument(name, options);
  }

  parse_args(argv = process.argv.slice(2)) {
    const options = { help: { type: 'boolean' } };
    for (const f of this.flags) options[f.name] = { type: f.boolean ? 'boolean' : 'string' };
    const { values } = parseArgs({ args: argv, options, allowPositionals: false });
    if (values.help) {
      console.log([this.description, ...this.flags.map((f) => `  --${f.name}  ${f.help} (default: ${f.default})`)].join('\n'));
      process.exit(0);
    }
    const args = {};
    for (const f of this.flags) {
      const raw = values[f.name];
      if (raw === undefined) args[f.name] = f.default;
      else if (f.boolean) args[f.name] = raw;
      else if (f.type === 'int' || f.type === 'float') {
        const n = f.type === 'int' ? Number.parseInt(raw, 10) : Number.parseFloat(raw);
        if (!Number.isFinite(n)) throw new Error(`--${f.name}: expected a number, got '${raw}'`);
        args[f.name] = n;
      } else args[f.name] = raw;
    }
    return args;
  }

  parseArgs(argv) {
    return this.parse_args(argv);
  }
}

module.exports = { ArgumentParser };
