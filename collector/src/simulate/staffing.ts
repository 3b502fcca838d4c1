// Staffing of the simulated center: shifts and weekly rotas scheduled to the center's own forecast
// (its intraday and weekday arrival profiles and handle times), as a workforce planner would, so the
// floor meets its service level on quiet Sundays as on busy Mondays. Offered load per local hour is
// A = λ·AHT (Erlangs); the agents it needs follow the square-root staffing rule N = A + β·√A. The
// given number of agents is then spread over the candidate (shift, rota) pairs greedily, each agent
// taking the pair that covers the most of what is still missing, so coverage follows the forecast at
// whatever head count. Planned breaks and lunch are taken out of each shift's hours on the floor.
import type { Behaviour, Channel, PauseSpec, Shift } from './model';

/** A shift pattern the planner may use; hours are local wall clock (above 24 ends the next day). */
export interface ShiftTemplate {
  startHour: number;
  endHour: number;
}

/** Shift patterns of 8.5 hours: staggered starts every hour from 06:00 to 16:00, and a night shift. */
export const SHIFT_TEMPLATES: readonly ShiftTemplate[] = [
  ...[6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].map((startHour) => ({ startHour, endHour: startHour + 8.5 })),
  { startHour: 22, endHour: 30.5 },
];

/** Five-day weeks with two consecutive days off (0 = Monday … 6 = Sunday): Mon–Fri, Tue–Sat, …. */
export const ROTAS: readonly (readonly number[])[] = Array.from({ length: 7 }, (_, first) =>
  Array.from({ length: 5 }, (_, i) => (first + i) % 7).sort((a, b) => a - b),
);

/**
 * β of the square-root staffing rule N = A + β·√A (Halfin–Whitt). About 1 suits one pooled queue
 * at an 80/20 target; routing by skill and language splits the floor into smaller pools, which
 * need more. 2.5 keeps the default 40-agent center at a daily service level of about 80–90 % on
 * every day of the week (checked in staffing.test.ts from the simulator's tally).
 */
const SAFETY = 2.5;

/** Mean of a lognormal distribution given its median and σ. */
const lognormalMean = (median: number, sigma: number) => median * Math.exp((sigma * sigma) / 2);

/** Average seconds an agent is busy per task (talk plus wrap-up), over the channel mix. */
export function averageHandleSeconds(b: Behaviour): number {
  const per = (c: Channel) =>
    lognormalMean(b.handleMedianSeconds[c], b.handleSigma) + lognormalMean(b.wrapupMedianSeconds[c], b.wrapupSigma) + b.acceptMedianSeconds;
  return (1 - b.chatShare) * per('voice') + b.chatShare * per('chat');
}

/** Erlangs offered per weekday (0 = Monday) and local hour for one arrival per hour at the peak. */
function loadPerArrival(b: Behaviour): number[][] {
  const aht = averageHandleSeconds(b);
  const peakHour = Math.max(...b.intraday);
  const peakDay = Math.max(...b.weekday);
  return b.weekday.map((day) =>
    b.intraday.map((_, h) => {
      // The engine interpolates the profile linearly within each hour: its mean is the midpoint.
      const hour = (b.intraday[h]! + b.intraday[(h + 1) % 24]!) / 2;
      return ((hour / peakHour) * (day / peakDay) * aht) / 3600;
    }),
  );
}

/** However quiet the hour, this many agents are on the floor (night and weekend crews). */
const MIN_ON_FLOOR = 2;

/** Agents needed per weekday (0 = Monday) and local hour: N = A + β·√A, at least `MIN_ON_FLOOR`. */
export function agentsNeeded(b: Behaviour, arrivalsPerHour: number): number[][] {
  return loadPerArrival(b).map((hours) =>
    hours.map((perArrival) => {
      const erlangs = perArrival * arrivalsPerHour;
      return erlangs > 0 ? Math.max(MIN_ON_FLOOR, erlangs + SAFETY * Math.sqrt(erlangs)) : 0;
    }),
  );
}

/** Share of local hour `hour` (counted from the shift's first day) an agent on shift `t` is on the floor, after planned pauses. */
function presence(t: ShiftTemplate, pauses: readonly PauseSpec[], hour: number): number {
  const overlap = (from: number, to: number) => Math.max(0, Math.min(hour + 1, to) - Math.max(hour, from));
  let share = overlap(t.startHour, t.endHour);
  for (const p of pauses) {
    const at = t.startHour + p.afterHours;
    if (at < t.endHour) share -= p.chance * overlap(at, Math.min(t.endHour, at + p.minutes / 60));
  }
  return share;
}

/** Hours a week `agents` spend on the floor (five shifts each, planned pauses taken out). */
function weeklyHoursOnFloor(agents: number, pauses: readonly PauseSpec[]): number {
  const t = SHIFT_TEMPLATES[0]!;
  let hours = 0;
  for (let h = Math.floor(t.startHour); h < Math.ceil(t.endHour); h++) hours += presence(t, pauses, h);
  return agents * 5 * hours;
}

/**
 * The peak arrivals per hour that `agents` can serve at the service level: the λ whose weekly need
 * Σ (A + β·√A), with A proportional to λ, equals the hours they work. Bigger teams pool better, so
 * each agent serves more.
 */
export function arrivalsForStaff(b: Behaviour, agents: number): number {
  const load = loadPerArrival(b).flat();
  // Σ a·λ + β·Σ √a·√λ = S is a quadratic in x = √λ.
  const a = load.reduce((s, x) => s + x, 0);
  const bCoef = SAFETY * load.reduce((s, x) => s + Math.sqrt(x), 0);
  const supply = weeklyHoursOnFloor(agents, b.pauses);
  if (a <= 0) return 0;
  const x = (-bCoef + Math.sqrt(bCoef * bCoef + 4 * a * supply)) / (2 * a);
  return x * x;
}

/**
 * One shift per agent: `agents` (template, rota) pairs chosen so the hours on the floor follow
 * `needed` (per weekday and hour), scaled to what the agents can work. Minimises Σ (cover − target)² ÷
 * target over every hour of the week — relative misfit, so quiet hours count as much as busy ones —
 * first greedily, agent by agent, then by moving single agents while that improves it. Deterministic.
 */
export function planShifts(needed: number[][], agents: number, pauses: readonly PauseSpec[]): Shift[] {
  const supply = weeklyHoursOnFloor(agents, pauses);
  const demand = needed.flat().reduce((s, x) => s + x, 0);
  const scale = demand > 0 ? supply / demand : 0;
  const target = needed.flat().map((x) => Math.max(x * scale, 0.1));
  const cover = target.map(() => 0);
  const candidates = SHIFT_TEMPLATES.flatMap((t) =>
    ROTAS.map((rota) => {
      const cells: Array<[cell: number, share: number]> = [];
      for (const day of rota)
        for (let h = Math.floor(t.startHour); h < Math.ceil(t.endHour); h++) {
          const share = presence(t, pauses, h);
          if (share > 0) cells.push([((day + Math.floor(h / 24)) % 7) * 24 + (h % 24), share]);
        }
      return { t, rota, cells };
    }),
  );
  type Candidate = (typeof candidates)[number];
  /** Change of the misfit when one agent on `c` is added (sign 1) or removed (sign −1). */
  const delta = (c: Candidate, sign: 1 | -1) => {
    let d = 0;
    for (const [cell, share] of c.cells) d += (share * (2 * sign * (cover[cell]! - target[cell]!) + share)) / target[cell]!;
    return d;
  };
  const apply = (c: Candidate, sign: 1 | -1) => {
    for (const [cell, share] of c.cells) cover[cell]! += sign * share;
  };
  const cheapest = () => candidates.reduce((best, c) => (delta(c, 1) < delta(best, 1) ? c : best));
  const plan: Candidate[] = [];
  for (let i = 0; i < agents; i++) {
    const c = cheapest();
    apply(c, 1);
    plan.push(c);
  }
  for (let pass = 0, moved = true; moved && pass < 50; pass++) {
    moved = false;
    for (let i = 0; i < plan.length; i++) {
      const current = plan[i]!;
      apply(current, -1);
      const stay = delta(current, 1);
      const c = cheapest();
      if (delta(c, 1) < stay - 1e-9) {
        plan[i] = c;
        moved = true;
      }
      apply(plan[i]!, 1);
    }
  }
  return plan.map((c) => ({ startHour: c.t.startHour, endHour: c.t.endHour, days: c.rota }));
}

/**
 * Hands the planned shifts to agents. Shifts across midnight go to the most versatile agents (most
 * queues), since a night crew of two must answer every queue; the rest are dealt so each group
 * (agents who share a scarce skill or language, `groups[i]` for agent i) gets an even spread of rotas
 * and start times, not all the Monday mornings. Returns the shift of each agent by index.
 */
export function dealShifts(shifts: readonly Shift[], groups: readonly string[], versatility: readonly number[]): Shift[] {
  const out: Shift[] = new Array<Shift>(groups.length);
  const nights = shifts.filter((s) => s.endHour > 24);
  const byVersatility = groups.map((_, agent) => agent).sort((a, b) => versatility[b]! - versatility[a]! || a - b);
  nights.forEach((shift, k) => (out[byVersatility[k]!] = shift));
  const rest = groups.map((_, agent) => agent).filter((agent) => out[agent] === undefined);
  const sorted = shifts
    .filter((s) => s.endHour <= 24)
    .sort((a, b) => a.days.join().localeCompare(b.days.join()) || a.startHour - b.startHour);
  const size = new Map<string, number>();
  for (const agent of rest) size.set(groups[agent]!, (size.get(groups[agent]!) ?? 0) + 1);
  const seen = new Map<string, number>();
  // The i-th of n agents in a group sits at (i + ½) / n along the sorted shifts.
  rest
    .map((agent) => {
      const g = groups[agent]!;
      const i = seen.get(g) ?? 0;
      seen.set(g, i + 1);
      return { agent, at: (i + 0.5) / size.get(g)! };
    })
    .sort((a, b) => a.at - b.at || a.agent - b.agent)
    .forEach(({ agent }, k) => (out[agent] = sorted[k]!));
  return out;
}
