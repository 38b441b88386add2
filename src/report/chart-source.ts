/**
 * The source of Chart.js's UMD build, read from the installed `chart.js` package, so a report can inline it
 * and open without a network connection.
 */
export async function chartJsSource(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { readFile } = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  // NOTE: the package's exports map does not list dist/chart.umd.js; its main entry lives beside it in dist/.
  const umd = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
  try {
    return await readFile(umd, 'utf8');
  } catch {
    throw new Error(`cannot read Chart.js from ${umd}; is the chart.js package installed (npm install)?`);
  }
}
