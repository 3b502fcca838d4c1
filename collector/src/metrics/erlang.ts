// Erlang C (M/M/N queue): agents required for a service-level target, and what a given number of
// agents achieves. One implementation for the calculator endpoint and the staffing metrics.
//
// Textbook definitions (A. K. Erlang; e.g. Gans, Koole & Mandelbaum, "Telephone call centers",
// 2003, section 4.1): offered traffic A = λ·AHT erlangs; with N > A agents the probability that a
// customer waits is C(N, A); service level within T seconds is 1 − C(N, A)·e^(−(N−A)·T/AHT); the
// average speed of answer is C(N, A)·AHT / (N − A); occupancy is A / N.
//
// C(N, A) is computed from Erlang B by the recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)) and
// C = N·B / (N − A·(1 − B)): every step stays in [0, 1], so there is no factorial or power to
// overflow, even for thousands of agents.

/** What `agents` agents achieve against offered traffic. Percentages are 0–100. */
export interface ErlangStaffing {
  agents: number;
  serviceLevelPercent: number;
  probabilityOfWaitPercent: number;
  /** Average speed of answer, seconds; null when N ≤ A (the queue grows without bound). */
  asaSeconds: number | null;
  occupancyPercent: number;
}

export interface ErlangAnswer extends ErlangStaffing {
  /** Offered traffic A = arrivals per second × AHT, in erlangs. */
  trafficErlangs: number;
  /** Smallest number of agents meeting the target; 0 when nothing arrives. */
  agentsRequired: number;
  /** The same figures for one agent fewer and one more (fewer is left out below 1 agent). */
  alternatives: ErlangStaffing[];
}

export interface ErlangInput {
  arrivalsPerHour: number;
  /** Average handle time, seconds (> 0). */
  ahtSeconds: number;
  /** Service-level target, percent in (0, 100). */
  targetPercent: number;
  /** Service-level threshold T, seconds (≥ 0). */
  thresholdSeconds: number;
}

/** Largest offered traffic answered, in erlangs: far beyond any contact center; bounds the search. */
export const MAX_TRAFFIC_ERLANGS = 100_000;

/** Probability of waiting C(N, A); 1 when N ≤ A (the queue grows without bound). */
export function probabilityOfWait(agents: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return 1;
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return (agents * b) / (agents - traffic * (1 - b));
}

/** What `agents` agents achieve for `traffic` erlangs with handle time `aht` and threshold `t`. */
export function staffingFor(agents: number, traffic: number, ahtSeconds: number, thresholdSeconds: number): ErlangStaffing {
  if (traffic <= 0) return { agents, serviceLevelPercent: 100, probabilityOfWaitPercent: 0, asaSeconds: 0, occupancyPercent: 0 };
  if (agents <= traffic) return { agents, serviceLevelPercent: 0, probabilityOfWaitPercent: 100, asaSeconds: null, occupancyPercent: 100 };
  const c = probabilityOfWait(agents, traffic);
  const sl = 1 - c * Math.exp((-(agents - traffic) * thresholdSeconds) / ahtSeconds);
  return {
    agents,
    serviceLevelPercent: Math.max(0, sl) * 100,
    probabilityOfWaitPercent: c * 100,
    asaSeconds: (c * ahtSeconds) / (agents - traffic),
    occupancyPercent: (traffic / agents) * 100,
  };
}

/**
 * Smallest N > A whose service level reaches the target. Erlang B is carried forward from ⌊A⌋, so
 * the search costs one recursion step per candidate instead of a recursion per candidate.
 */
export function agentsRequired(traffic: number, ahtSeconds: number, targetPercent: number, thresholdSeconds: number): number {
  if (traffic <= 0) return 0;
  if (!(targetPercent > 0 && targetPercent < 100)) throw new RangeError('the target must be between 0 and 100 percent, exclusive');
  const target = targetPercent / 100;
  let b = 1;
  if (traffic > MAX_TRAFFIC_ERLANGS) throw new RangeError(`offered traffic above ${MAX_TRAFFIC_ERLANGS} erlangs`);
  for (let n = 1; ; n++) {
    b = (traffic * b) / (n + traffic * b);
    if (n <= traffic) continue;
    const c = (n * b) / (n - traffic * (1 - b));
    if (1 - c * Math.exp((-(n - traffic) * thresholdSeconds) / ahtSeconds) >= target) return n;
  }
}

/** The calculator: traffic, agents required, what they achieve, and N−1 / N+1 beside it. */
export function erlangC(input: ErlangInput): ErlangAnswer {
  const traffic = (input.arrivalsPerHour / 3600) * input.ahtSeconds;
  const required = agentsRequired(traffic, input.ahtSeconds, input.targetPercent, input.thresholdSeconds);
  const at = (n: number) => staffingFor(n, traffic, input.ahtSeconds, input.thresholdSeconds);
  const alternatives = [required - 1, required + 1].filter((n) => n >= 1).map(at);
  return { trafficErlangs: traffic, agentsRequired: required, ...at(required), alternatives };
}
