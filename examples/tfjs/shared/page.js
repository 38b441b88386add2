// The inputs of a browser example's page, in Node.js: `--<element id> <value>` on the command line sets the
// input of that id; without it, the value the page's index.html gives. So the page's settings (epochs,
// learning rate, batch size, ...) are the Node.js program's options, under the same names.

/** The value of the page input `id`: from `--id value` on the command line, else `defaultValue`. */
export function inputValue(id, defaultValue) {
  const at = process.argv.indexOf(`--${id}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : defaultValue;
}
