import { describe, expect, it } from 'vitest';
import { Random, SidFactory, hashNumbers } from './random';

describe('Random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) with the right mean', () => {
    const r = new Random(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('draws exponential, lognormal and Poisson values with the asked mean or median', () => {
    const r = new Random(7);
    const n = 100_000;
    let exp = 0;
    const logs: number[] = [];
    let pois = 0;
    let poisSq = 0;
    for (let i = 0; i < n; i++) {
      exp += r.exponential(120);
      logs.push(r.lognormal(240, 0.5));
      const k = r.poisson(4);
      pois += k;
      poisSq += k * k;
    }
    expect(exp / n).toBeGreaterThan(117);
    expect(exp / n).toBeLessThan(123);
    logs.sort((x, y) => x - y);
    expect(logs[n / 2]!).toBeGreaterThan(235);
    expect(logs[n / 2]!).toBeLessThan(245);
    const mean = pois / n;
    expect(mean).toBeCloseTo(4, 1);
    expect(poisSq / n - mean * mean).toBeCloseTo(4, 0); // variance equals the mean
    expect(Math.abs(r.poisson(1000) - 1000)).toBeLessThan(200);
  });

  it('chooses by weight', () => {
    const r = new Random(3);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 60_000; i++) counts[r.weighted(['a', 'b', 'c'] as const, [1, 2, 3])]++;
    expect(counts.a / 60_000).toBeCloseTo(1 / 6, 1);
    expect(counts.c / 60_000).toBeCloseTo(3 / 6, 1);
  });
});

describe('SidFactory', () => {
  it('makes Twilio-shaped sids that never repeat and depend on the key', () => {
    const f = new SidFactory(1, 2);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(f.next('EV'));
    expect(seen.size).toBe(200_000);
    for (const sid of [...seen].slice(0, 100)) expect(sid).toMatch(/^EV[0-9a-f]{32}$/);
    expect(new SidFactory(1, 2).next('EV')).toBe(new SidFactory(1, 2).at('EV', 0));
    expect(new SidFactory(1, 3).next('EV')).not.toBe(new SidFactory(1, 2).next('EV'));
  });

  it('hashes epoch milliseconds beyond 32 bits', () => {
    expect(hashNumbers(1_763_596_800_000)).not.toBe(hashNumbers(1_763_596_800_000 + 2 ** 32));
  });
});
