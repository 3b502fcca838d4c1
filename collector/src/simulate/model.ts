// The simulated contact center: activities, queues with TaskRouter target expressions, agents
// with skills and shifts, arrival profiles and handling behaviour — built deterministically.
import { Random, SidFactory, hashString } from './random';
import { evaluate, parseExpression } from '../taskrouter/expression';
import { agentsNeeded, arrivalsForStaff, dealShifts, planShifts } from './staffing';
import { Zone } from './zone';

export const ACTIVITY_NAMES = ['Offline', 'Available', 'Break', 'Lunch', 'Training'] as const;
export type ActivityName = (typeof ACTIVITY_NAMES)[number];
/** Index of each activity in `Center.activities`. */
export const ACTIVITY = { Offline: 0, Available: 1, Break: 2, Lunch: 3, Training: 4 } as const;
export type PauseActivity = 'Break' | 'Lunch' | 'Training';

export interface Activity {
  index: number;
  sid: string;
  name: ActivityName;
  available: boolean;
}

export const CHANNELS = ['voice', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface TaskChannel {
  name: Channel;
  sid: string;
}

export interface QueueSpec {
  name: string;
  /** TaskRouter target expression over worker attributes: `skills HAS "x"`, `languages HAS "x"` or `1==1`. */
  targetExpression: string;
  /** Relative share of new tasks routed here first (the overflow queue's is ignored). */
  share: number;
  /** Seconds a task may wait here before it moves to the overflow queue; null: never moves. */
  timeoutSeconds: number | null;
  /** Disposition codes written on completion, with relative weights. */
  outcomes: Readonly<Record<string, number>>;
}

export interface Queue extends QueueSpec {
  index: number;
  sid: string;
  overflow: boolean;
  /** This queue's bit in `Agent.queueMask`. */
  bit: number;
  outcomeCodes: string[];
  outcomeWeights: number[];
}

export interface WorkerAttributes {
  skills: string[];
  languages: string[];
  contact_uri: string;
}

export interface Shift {
  /** Local wall-clock hour the shift starts (8.5 = 08:30). */
  startHour: number;
  /** Local wall-clock hour the shift ends, after `startHour`; above 24 ends the next day (30.5 = 06:30). */
  endHour: number;
  /** Days worked, 0 = Monday … 6 = Sunday. */
  days: readonly number[];
}

export interface Agent {
  index: number;
  sid: string;
  name: string;
  attributes: WorkerAttributes;
  /** `attributes` as the JSON text TaskRouter sends in `WorkerAttributes`. */
  attributesJson: string;
  shift: Shift;
  /** Bit per queue (`Queue.bit`) whose target expression matches this agent. */
  queueMask: number;
}

export interface PauseSpec {
  activity: PauseActivity;
  /** Hours after the shift starts. */
  afterHours: number;
  minutes: number;
  /** Probability the pause happens on a given shift (1 = every shift). */
  chance: number;
}

export interface Behaviour {
  /** Relative arrival rate per local hour 0–23; the highest hour gets `arrivalsPerHour`. */
  intraday: readonly number[];
  /** Relative arrival rate per weekday, Monday first; the highest day gets `arrivalsPerHour`. */
  weekday: readonly number[];
  /** Share of tasks on the chat channel (0–1); the rest are voice. */
  chatShare: number;
  /** Share of tasks whose `direction` is outbound (0–1). */
  outboundShare: number;
  /** Share of customers flagged VIP, created with `vipPriority`. */
  vipShare: number;
  vipPriority: number;
  /** Mean customer patience in seconds (exponential), per channel; waiting longer abandons. */
  patienceMeanSeconds: Readonly<Record<Channel, number>>;
  /** Share of inbound customers who hang up within 5 seconds whatever the wait. */
  quickHangupShare: number;
  /** Seconds an unanswered outbound task lives before it is canceled ("Task TTL Exceeded"). */
  outboundTtlSeconds: number;
  /** Median talk time in seconds (lognormal), per channel. */
  handleMedianSeconds: Readonly<Record<Channel, number>>;
  handleSigma: number;
  /** Median wrap-up time in seconds (lognormal), per channel. */
  wrapupMedianSeconds: Readonly<Record<Channel, number>>;
  wrapupSigma: number;
  /** Median seconds an agent takes to accept a reservation (lognormal). */
  acceptMedianSeconds: number;
  acceptSigma: number;
  /** Share of reservations the agent rejects. */
  rejectShare: number;
  /** Share of reservations left unanswered until `reservationTimeoutSeconds`. */
  reservationTimeoutShare: number;
  reservationTimeoutSeconds: number;
  /** Seconds of waiting after which a task's priority rises (`task.updated`); null: never. */
  escalateAfterSeconds: number | null;
  escalatePriorityBy: number;
  pauses: readonly PauseSpec[];
  /** Standard deviation, in minutes, of log-in, log-out and pause times around the plan. */
  jitterMinutes: number;
}

export interface CenterOptions {
  /** Number of agents (default 40). */
  agents?: number;
  /** IANA zone of shifts and arrival profiles (default Europe/London). */
  timezone?: string;
  /** New tasks per hour, center-wide, at the busiest hour of the busiest weekday (default 4 per agent). */
  arrivalsPerHour?: number;
  queues?: readonly QueueSpec[];
  /** Name of the queue tasks move to on queue timeout (default `Everyone`). */
  overflowQueue?: string;
  workspaceName?: string;
  /**
   * Seed of the center itself (sids, names, skills, shifts), kept apart from the traffic seed so
   * runs with different traffic describe the same workspace (default 1).
   */
  centerSeed?: number;
  behaviour?: Partial<Behaviour>;
}

export interface Center {
  accountSid: string;
  workspaceSid: string;
  workspaceName: string;
  workflowSid: string;
  workflowName: string;
  zone: Zone;
  activities: Activity[];
  channels: Record<Channel, TaskChannel>;
  queues: Queue[];
  overflow: Queue;
  agents: Agent[];
  /** Center-wide arrivals per hour at the peak hour of the peak weekday. */
  arrivalsPerHour: number;
  behaviour: Behaviour;
  /** The center's own phone number (`to` of inbound calls). */
  phoneNumber: string;
}

export const DEFAULT_QUEUES: readonly QueueSpec[] = [
  {
    name: 'Sales',
    targetExpression: 'skills HAS "sales"',
    share: 0.3,
    timeoutSeconds: 120,
    outcomes: { sale: 35, resolved: 35, callback: 20, escalated: 10 },
  },
  {
    name: 'Support',
    targetExpression: 'skills HAS "support"',
    share: 0.4,
    timeoutSeconds: 120,
    outcomes: { resolved: 70, escalated: 15, callback: 15 },
  },
  {
    name: 'Billing',
    targetExpression: 'skills HAS "billing"',
    share: 0.2,
    timeoutSeconds: 120,
    outcomes: { resolved: 75, callback: 15, escalated: 10 },
  },
  {
    name: 'Spanish',
    targetExpression: 'languages HAS "es"',
    share: 0.1,
    timeoutSeconds: 150,
    outcomes: { resolved: 65, callback: 15, escalated: 10, sale: 10 },
  },
  { name: 'Everyone', targetExpression: '1==1', share: 0, timeoutSeconds: null, outcomes: { resolved: 70, callback: 20, escalated: 10 } },
];

export const DEFAULT_BEHAVIOUR: Behaviour = {
  // Quiet at night, a mid-morning peak at 10:00 and a second one in the early afternoon.
  intraday: [
    0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.12, 0.3, 0.65, 0.9, 1, 0.95, 0.8, 0.85, 0.95, 0.9, 0.75, 0.6, 0.45, 0.35, 0.25, 0.15, 0.08, 0.05,
  ],
  weekday: [1, 0.95, 0.92, 0.92, 0.88, 0.45, 0.3],
  chatShare: 0.3,
  outboundShare: 0.1,
  vipShare: 0.05,
  vipPriority: 10,
  patienceMeanSeconds: { voice: 150, chat: 400 },
  quickHangupShare: 0.03,
  outboundTtlSeconds: 1800,
  handleMedianSeconds: { voice: 240, chat: 540 },
  handleSigma: 0.55,
  wrapupMedianSeconds: { voice: 40, chat: 25 },
  wrapupSigma: 0.6,
  acceptMedianSeconds: 3,
  acceptSigma: 0.5,
  rejectShare: 0.03,
  reservationTimeoutShare: 0.02,
  reservationTimeoutSeconds: 15,
  escalateAfterSeconds: 60,
  escalatePriorityBy: 5,
  pauses: [
    { activity: 'Break', afterHours: 2, minutes: 15, chance: 1 },
    { activity: 'Lunch', afterHours: 4, minutes: 40, chance: 1 },
    { activity: 'Training', afterHours: 5.25, minutes: 60, chance: 0.08 },
    { activity: 'Break', afterHours: 6.5, minutes: 15, chance: 1 },
  ],
  jitterMinutes: 4,
};

const FIRST_NAMES = [
  'Alice',
  'Ben',
  'Chloe',
  'Daniel',
  'Ella',
  'Farid',
  'Grace',
  'Harry',
  'Isla',
  'Jack',
  'Kavya',
  'Liam',
  'Maya',
  'Noah',
  'Olivia',
  'Priya',
  'Quentin',
  'Rosa',
  'Samir',
  'Tara',
  'Umar',
  'Violet',
  'William',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Amara',
  'Carlos',
  'Dev',
  'Fatima',
  'George',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lucia',
  'Mateo',
  'Nadia',
  'Oscar',
  'Sofia',
];
const LAST_NAMES = [
  'Smith',
  'Jones',
  'Patel',
  'Williams',
  'Brown',
  'Garcia',
  'Taylor',
  'Khan',
  'Davies',
  'Evans',
  'Wilson',
  'Martinez',
  'Thomas',
  'Roberts',
  'Okafor',
  'Walker',
  'Wright',
  'Lopez',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Clarke',
  'Nguyen',
  'Jackson',
  'Wood',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Morris',
  'Moore',
  'Clark',
  'Lee',
  'King',
  'Baker',
  'Harrison',
  'Morgan',
  'Allen',
  'Ali',
];

/** A worker-attributes predicate compiled from a target expression. */
export type Matcher = (attributes: WorkerAttributes) => boolean;

/**
 * Compiles a queue's target expression with the collector's own parser of TaskRouter's expression
 * language, so the simulator routes exactly as the collector computes agents by queue. A syntax
 * error names the expression.
 */
export function compileExpression(expression: string): Matcher {
  try {
    const parsed = parseExpression(expression);
    return (attributes) => evaluate(parsed, attributes);
  } catch (err) {
    throw new Error(`bad target expression ${JSON.stringify(expression)}: ${(err as Error).message}`);
  }
}

/** Builds the center: the same options always give the same sids, names, skills and shifts. */
export function buildCenter(options: CenterOptions = {}): Center {
  const centerSeed = options.centerSeed ?? 1;
  const agentCount = options.agents ?? 40;
  if (!Number.isInteger(agentCount) || agentCount < 1) throw new RangeError(`agents must be a positive integer, got ${agentCount}`);
  const zone = new Zone(options.timezone ?? 'Europe/London');
  const behaviour: Behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  if (behaviour.intraday.length !== 24) throw new RangeError('behaviour.intraday needs 24 hourly values');
  if (behaviour.weekday.length !== 7) throw new RangeError('behaviour.weekday needs 7 daily values, Monday first');
  const arrivalsPerHour = options.arrivalsPerHour ?? arrivalsForStaff(behaviour, agentCount);
  if (!(arrivalsPerHour >= 0) || !Number.isFinite(arrivalsPerHour))
    throw new RangeError(`arrivalsPerHour must be a non-negative number, got ${arrivalsPerHour}`);

  const workspaceName = options.workspaceName ?? 'Floorboard Demo Center';
  const sids = new SidFactory(centerSeed, hashString(workspaceName));
  const random = new Random(centerSeed);

  const activities: Activity[] = ACTIVITY_NAMES.map((name, index) => ({
    index,
    sid: sids.next('WA'),
    name,
    available: name === 'Available',
  }));

  const specs = options.queues ?? DEFAULT_QUEUES;
  if (specs.length === 0 || specs.length > 30) throw new RangeError('between 1 and 30 queues are supported');
  const overflowName = options.overflowQueue ?? 'Everyone';
  const matchers: Matcher[] = [];
  const queues: Queue[] = specs.map((spec, index) => {
    matchers.push(compileExpression(spec.targetExpression));
    const outcomeCodes = Object.keys(spec.outcomes);
    if (outcomeCodes.length === 0) throw new RangeError(`queue ${spec.name} needs at least one outcome`);
    return {
      ...spec,
      index,
      sid: sids.next('WQ'),
      overflow: spec.name === overflowName,
      bit: 1 << index,
      outcomeCodes,
      outcomeWeights: outcomeCodes.map((c) => spec.outcomes[c] ?? 0),
    };
  });
  const overflow = queues.find((q) => q.overflow);
  if (!overflow) throw new RangeError(`overflow queue "${overflowName}" is not among the queues`);
  if (!queues.some((q) => !q.overflow && q.share > 0))
    throw new RangeError('at least one queue other than the overflow queue needs a share > 0');

  // Skills and languages to hand out come from the queues' own expressions.
  const skillQueues = queues.filter((q) => !q.overflow && /^\s*skills\s+HAS/i.test(q.targetExpression));
  const languageQueues = queues.filter((q) => !q.overflow && /^\s*languages\s+HAS/i.test(q.targetExpression));
  const valueOf = (q: Queue): string => /"([^"]*)"/.exec(q.targetExpression)?.[1] ?? '';
  const skills = skillQueues.map(valueOf);
  const skillWeights = skillQueues.map((q) => Math.max(q.share, 0.01));
  const languages = languageQueues.map(valueOf);

  const taken = new Set<string>();
  const agents: Agent[] = [];
  for (let index = 0; index < agentCount; index++) {
    let name = '';
    for (let attempt = 0; attempt < 20 && (name === '' || taken.has(name)); attempt++)
      name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    if (taken.has(name)) name = `${name} ${index + 1}`;
    taken.add(name);

    const agentSkills: string[] = [];
    if (skills.length > 0) {
      // The first agents cover every skill once so no queue is left without staff.
      agentSkills.push(index < skills.length ? skills[index]! : random.weighted(skills, skillWeights));
      for (const extra of [0.7, 0.35]) {
        if (!random.chance(extra)) continue;
        const skill = random.weighted(skills, skillWeights);
        if (!agentSkills.includes(skill)) agentSkills.push(skill);
      }
    }
    const agentLanguages = ['en'];
    if (languages.length > 0 && index % 4 === 2) {
      const language = languages[Math.floor(index / 4) % languages.length]!;
      if (!agentLanguages.includes(language)) agentLanguages.push(language);
    }
    const attributes: WorkerAttributes = {
      skills: agentSkills,
      languages: agentLanguages,
      contact_uri: `client:${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
    };
    let queueMask = 0;
    for (const q of queues) if (matchers[q.index]!(attributes)) queueMask |= q.bit;

    agents.push({
      index,
      sid: sids.next('WK'),
      name,
      attributes,
      attributesJson: JSON.stringify(attributes),
      shift: { startHour: 0, endHour: 0, days: [] }, // dealt below, once every agent's queues are known
      queueMask,
    });
  }
  // Shifts and rotas follow the forecast; each agent's scarcest queue spreads over every day and hour.
  const scarcest = agents.map((a) => {
    const mine = queues.filter((q) => !q.overflow && (a.queueMask & q.bit) !== 0);
    const staff = (q: Queue) => agents.filter((b) => (b.queueMask & q.bit) !== 0).length;
    return mine.reduce<Queue | undefined>((best, q) => (best === undefined || staff(q) < staff(best) ? q : best), undefined)?.name ?? '';
  });
  const versatility = agents.map((a) => queues.filter((q) => (a.queueMask & q.bit) !== 0).length);
  const shifts = dealShifts(planShifts(agentsNeeded(behaviour, arrivalsPerHour), agentCount, behaviour.pauses), scarcest, versatility);
  for (const a of agents) a.shift = shifts[a.index]!;

  return {
    accountSid: sids.next('AC'),
    workspaceSid: sids.next('WS'),
    workspaceName,
    workflowSid: sids.next('WW'),
    workflowName: 'Default Routing',
    zone,
    activities,
    channels: { voice: { name: 'voice', sid: sids.next('TC') }, chat: { name: 'chat', sid: sids.next('TC') } },
    queues,
    overflow,
    agents,
    arrivalsPerHour,
    behaviour,
    phoneNumber: '+442071838750',
  };
}
