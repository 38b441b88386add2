// Generated tables with a known rule, for tests and for measuring the tabular defaults. Each mixes numeric,
// nominal (one-hot), ordinal (ordered codes) and boolean columns, and its label depends on all of them.

/** A small seeded generator (mulberry32), so tables do not depend on the library's global RNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Rows of cells to CSV text (quoting cells with commas, quotes or line breaks). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => {
    const s = typeof v === 'number' ? String(Number(v.toFixed(4))) : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

export const GRADES = ['F', 'D', 'C', 'B', 'A'];
export const CONDITIONS = ['poor', 'fair', 'good', 'excellent'];

/**
 * Binary: did a student pass? pass when 0.6·hours + 0.8·grade + country effect - 0.3·|age - 21| + noise > 5.
 * Columns: id (identifier), hours (numeric), age (numeric), country (nominal), grade (ordinal F..A),
 * tutored (yes/no), passed (yes/no).
 */
export function students(n: number, seed = 1): string {
  const random = rng(seed);
  const effect: Record<string, number> = { France: 0, Japan: 1, Brazil: -1, Kenya: 0.5 };
  const rows = Array.from({ length: n }, (_, i) => {
    const hours = random() * 10;
    const age = 18 + random() * 10;
    const country = pick(random, Object.keys(effect));
    const g = Math.floor(random() * GRADES.length);
    const tutored = random() < 0.3;
    const score = 0.6 * hours + 0.8 * g + effect[country] - 0.3 * Math.abs(age - 21) + (tutored ? 0.7 : 0) + 0.5 * normal(random);
    return [`S${String(10000 + i)}`, hours, age, country, GRADES[g], tutored ? 'yes' : 'no', score > 5 ? 'yes' : 'no'];
  });
  return toCsv(['id', 'hours', 'age', 'country', 'grade', 'tutored', 'passed'], rows);
}

/**
 * Regression: a house price (thousands) from area, rooms, city (nominal), condition (ordinal) and a garden
 * flag, with an interaction (city multiplies the price per square metre) and noise.
 */
export function houses(n: number, seed = 2): string {
  const random = rng(seed);
  const perSquareMetre: Record<string, number> = { Lyon: 3.1, Paris: 6.5, Lille: 2.2, Nice: 4.4, Brest: 1.8 };
  const rows = Array.from({ length: n }, () => {
    const area = 30 + random() * 150;
    const rooms = Math.max(1, Math.round(area / 30 + normal(random) * 0.7));
    const city = pick(random, Object.keys(perSquareMetre));
    const c = Math.floor(random() * CONDITIONS.length);
    const garden = random() < 0.4;
    const price = area * perSquareMetre[city] * (0.8 + 0.12 * c) + 15 * rooms + (garden ? 40 : 0) + 25 * normal(random);
    return [area, rooms, city, CONDITIONS[c], garden ? 'true' : 'false', price];
  });
  return toCsv(['area', 'rooms', 'city', 'condition', 'garden', 'price'], rows);
}

/**
 * Multiclass: a customer segment (bronze / silver / gold / platinum) from spend, visits, channel (nominal)
 * and tier (ordinal low < mid < high), by thresholds on a score with noise.
 */
export function customers(n: number, seed = 3): string {
  const random = rng(seed);
  const channel: Record<string, number> = { web: 0, store: 0.8, phone: -0.6 };
  const tiers = ['low', 'mid', 'high'];
  const segments = ['bronze', 'silver', 'gold', 'platinum'];
  const rows = Array.from({ length: n }, () => {
    const spend = Math.exp(3 + random() * 3);
    const visits = Math.floor(random() * 30);
    const ch = pick(random, Object.keys(channel));
    const t = Math.floor(random() * tiers.length);
    const score = 1.2 * Math.log(spend) + 0.08 * visits + channel[ch] + 0.9 * t + 0.4 * normal(random);
    const s = score < 6 ? 0 : score < 7.2 ? 1 : score < 8.4 ? 2 : 3;
    return [spend, visits, ch, tiers[t], segments[s]];
  });
  return toCsv(['spend', 'visits', 'channel', 'tier', 'segment'], rows);
}
