// Erlang C against published worked examples and the properties any staffing curve must have.
import { describe, expect, it } from 'vitest';
import { agentsRequired, erlangC, probabilityOfWait, staffingFor } from './erlang';

describe('Erlang C worked examples', () => {
  it('100 calls in 30 minutes, AHT 180 s, 80 % in 20 s: 10 erlangs, 14 agents, 88.8 %', () => {
    // The classic example (callcentrehelper.com "Erlang C formula – made simple"): 200 calls an hour.
    const a = erlangC({ arrivalsPerHour: 200, ahtSeconds: 180, targetPercent: 80, thresholdSeconds: 20 });
    expect(a.trafficErlangs).toBeCloseTo(10, 10);
    expect(a.agentsRequired).toBe(14);
    expect(a.serviceLevelPercent).toBeCloseTo(88.8, 1);
    expect(a.probabilityOfWaitPercent).toBeCloseTo(17.4, 1);
    expect(a.asaSeconds).toBeCloseTo(7.8, 1);
    expect(a.occupancyPercent).toBeCloseTo(71.4, 1);
    // One agent fewer misses the target (79.6 %), one more exceeds it.
    expect(a.alternatives.map((x) => x.agents)).toEqual([13, 15]);
    expect(a.alternatives[0]!.serviceLevelPercent).toBeCloseTo(79.6, 1);
    expect(a.alternatives[1]!.serviceLevelPercent).toBeGreaterThan(a.serviceLevelPercent);
  });

  it('C(N, A) matches the closed form for small N', () => {
    // C = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)), computed directly.
    const closed = (n: number, a: number) => {
      let sum = 0;
      let term = 1;
      for (let k = 0; k < n; k++) {
        sum += term;
        term *= a / (k + 1);
      }
      const top = (term * n) / (n - a);
      return top / (sum + top);
    };
    for (const [n, a] of [
      [2, 1],
      [5, 3.5],
      [14, 10],
      [30, 25.2],
    ] as const)
      expect(probabilityOfWait(n, a)).toBeCloseTo(closed(n, a), 12);
  });

  it('needs no agents when nothing arrives, and all of them wait when N ≤ A', () => {
    const none = erlangC({ arrivalsPerHour: 0, ahtSeconds: 300, targetPercent: 80, thresholdSeconds: 20 });
    expect(none.agentsRequired).toBe(0);
    expect(none.trafficErlangs).toBe(0);
    expect(none.serviceLevelPercent).toBe(100);
    const overloaded = staffingFor(10, 10, 180, 20);
    expect(overloaded.serviceLevelPercent).toBe(0);
    expect(overloaded.asaSeconds).toBeNull();
  });
});

describe('Erlang C properties', () => {
  it('service level rises and waiting falls with every agent added', () => {
    let previous = staffingFor(11, 10, 180, 20);
    for (let n = 12; n <= 40; n++) {
      const next = staffingFor(n, 10, 180, 20);
      expect(next.serviceLevelPercent).toBeGreaterThan(previous.serviceLevelPercent);
      expect(next.probabilityOfWaitPercent).toBeLessThan(previous.probabilityOfWaitPercent);
      expect(next.asaSeconds!).toBeLessThan(previous.asaSeconds!);
      previous = next;
    }
  });

  it('is stable for thousands of agents: 5,000 calls an hour, then 20,000 erlangs', () => {
    const big = erlangC({ arrivalsPerHour: 5000, ahtSeconds: 300, targetPercent: 80, thresholdSeconds: 20 });
    expect(big.trafficErlangs).toBeCloseTo(416.67, 2);
    expect(big.agentsRequired).toBeGreaterThan(417);
    expect(big.agentsRequired).toBeLessThan(450);
    expect(big.serviceLevelPercent).toBeGreaterThanOrEqual(80);
    expect(big.alternatives[0]!.serviceLevelPercent).toBeLessThan(80);
    const huge = agentsRequired(20_000, 300, 90, 20);
    expect(Number.isFinite(huge)).toBe(true);
    expect(huge).toBeGreaterThan(20_000);
    expect(staffingFor(huge, 20_000, 300, 20).serviceLevelPercent).toBeGreaterThanOrEqual(90);
    expect(staffingFor(huge - 1, 20_000, 300, 20).serviceLevelPercent).toBeLessThan(90);
  });

  it('asks more agents for a higher target, a shorter threshold or more traffic', () => {
    const base = agentsRequired(10, 180, 80, 20);
    expect(agentsRequired(10, 180, 95, 20)).toBeGreaterThan(base);
    expect(agentsRequired(10, 180, 80, 5)).toBeGreaterThanOrEqual(base);
    expect(agentsRequired(20, 180, 80, 20)).toBeGreaterThan(base);
  });
});
