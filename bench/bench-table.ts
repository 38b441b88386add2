// The benchmark table of `npm run bench:csv` and bench/dataset-csv.ts: seeded, so every run reads the same rows.
import { createWriteStream, existsSync, statSync } from 'node:fs';

/** A seeded table of about `megabytes` MB: x0..x9 in [-100, 100) with 4 decimals, a city, y = yes/no by a rule with noise. */
export async function writeBenchTable(file: string, megabytes: number): Promise<void> {
  if (existsSync(file) && statSync(file).size >= megabytes * 1e6) return;
  const out = createWriteStream(file);
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const cities = ['Lyon', 'Paris', 'Nice', 'Lille'];
  out.write('x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,city,y\n');
  let written = 0;
  while (written < megabytes * 1e6) {
    let chunk = '';
    for (let r = 0; r < 2000; r++) {
      let score = 0;
      const cells: string[] = [];
      for (let j = 0; j < 10; j++) {
        const v = random() * 200 - 100;
        score += (j % 2 ? 1 : -0.5) * v;
        cells.push(v.toFixed(4));
      }
      const city = Math.floor(random() * 4);
      cells.push(cities[city], score + 40 * city + 30 * (random() - 0.5) > 40 ? 'yes' : 'no');
      chunk += `${cells.join(',')}\n`;
    }
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}
