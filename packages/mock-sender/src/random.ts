/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the id formats the
 * vendors show. Deterministic: the same seed and the same calls give the same values
 * on every platform, so a failing test can be replayed from its seed.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** `n` decimal digits, the first one non-zero. */
  digits(n: number): string;
  /** `n` characters from `alphabet`. */
  chars(n: number, alphabet: string): string;
  hex(bytes: number): string;
  /** RFC 4122 version 4 layout. */
  uuid(): string;
  /** ULID: 10 time characters (ms) + 16 random ones, Crockford base32. */
  ulid(timeMs: number): string;
  /** cuid (v1) layout as in Audenci's `clx…` ids: `c` + base36 time + random, 25 characters. */
  cuid(timeMs: number): string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = (): number => {
    // sfc32
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => u32() / 4294967296;
  const int = (n: number): number => Math.floor(next() * n);
  const chars = (n: number, alphabet: string): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[int(alphabet.length)];
    return out;
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick() from an empty list');
      return items[int(items.length)]!;
    },
    digits: (n) => (n <= 0 ? '' : String(1 + int(9)) + chars(n - 1, '0123456789')),
    chars,
    hex: (bytes) => chars(bytes * 2, HEX),
    uuid: () => {
      const h = chars(32, HEX);
      const variant = HEX[8 + int(4)]!;
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    ulid: (timeMs) => {
      let t = Math.max(0, Math.floor(timeMs));
      let time = '';
      for (let i = 0; i < 10; i++) {
        time = CROCKFORD[t % 32]! + time;
        t = Math.floor(t / 32);
      }
      return time + chars(16, CROCKFORD);
    },
    cuid: (timeMs) => {
      const time = Math.max(0, Math.floor(timeMs)).toString(36).padStart(8, '0').slice(-8);
      return `c${time}${chars(16, BASE36)}`;
    },
  };
}

/** A fresh seed when the caller gives none; reported on the sender so a run can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** Numbers as given; strings hashed (FNV-1a), so `seed: 'my-test'` works too. */
export function normaliseSeed(seed: number | string | undefined): number {
  if (seed === undefined) return randomSeed();
  if (typeof seed === 'number' && Number.isFinite(seed)) return Math.floor(seed) >>> 0;
  if (typeof seed === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }
  throw new TypeError(`@hookproof/mock-sender: \`seed\` must be a number or a string, got ${String(seed)}.`);
}
