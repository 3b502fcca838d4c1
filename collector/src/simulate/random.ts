// Seeded randomness for the simulator: a xoshiro128** generator, the distributions it draws from,
// and deterministic Twilio-style sids (prefix + 32 hex digits).

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers, used for hashing and sids. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes numbers (any finite values, including epoch milliseconds) into one 32-bit key. */
export function hashNumbers(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const lo = (p % 0x100000000) >>> 0;
    const hi = Math.floor(p / 0x100000000) >>> 0;
    h = mix32(h ^ lo) + 0x7f4a7c15;
    h = mix32(h ^ hi) + 0x7f4a7c15;
  }
  return mix32(h);
}

/** Hashes a string into a 32-bit key (FNV-1a, then finalised). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** 8 lower-case hex digits; a table lookup is ~4× faster than toString(16) on this hot path. */
const hex8 = (x: number): string => HEX_BYTE[x >>> 24]! + HEX_BYTE[(x >>> 16) & 255]! + HEX_BYTE[(x >>> 8) & 255]! + HEX_BYTE[x & 255]!;

/**
 * Deterministic sids: `prefix` + 32 hex digits. Each prefix has its own counter; the first
 * 8 digits are a bijection of the counter, so sids of one factory never repeat (below 2^32 each).
 */
export class SidFactory {
  /** Per prefix: the next counter value and the prefix's key. */
  private readonly counters = new Map<string, { n: number; key: number }>();
  private readonly key: number;

  constructor(...keyParts: number[]) {
    this.key = hashNumbers(...keyParts);
  }

  next(prefix: string): string {
    let counter = this.counters.get(prefix);
    if (counter === undefined) {
      counter = { n: 0, key: this.prefixKey(prefix) };
      this.counters.set(prefix, counter);
    }
    return sidOf(prefix, counter.key, counter.n++);
  }

  /** The sid numbered `n` for `prefix` (stable: the same inputs give the same sid). */
  at(prefix: string, n: number): string {
    return sidOf(prefix, this.prefixKey(prefix), n);
  }

  private prefixKey(prefix: string): number {
    return mix32(this.key ^ hashString(prefix));
  }
}

function sidOf(prefix: string, k: number, n: number): string {
  const w0 = mix32((n + k) >>> 0);
  const w1 = mix32(w0 ^ k ^ 0x6a09e667);
  const w2 = mix32(w1 + 0xbb67ae85);
  const w3 = mix32(w2 ^ 0x3c6ef372);
  return prefix + hex8(w0) + hex8(w1) + hex8(w2) + hex8(w3);
}

/** xoshiro128** seeded through splitmix32; uniform and the distributions the simulator needs. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = hashNumbers(seed);
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 0x100000000;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponential with the given mean (same unit out as in). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal given its median (same unit out as in) and sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count with mean `lambda` (Knuth for small means, a rounded normal above 60). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** One of `items`, chosen with probability proportional to `weights`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (let i = 0; i < items.length; i++) total += weights[i] ?? 0;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i]!;
    }
    if (items.length === 0) throw new Error('weighted choice from an empty list');
    return items[items.length - 1]!;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
