// Discrete-event simulation of the center: a binary heap of pending happenings (arrivals, shifts,
// pauses, reservation answers, timers) processed in time order, emitting TaskRouter events.
import { ACTIVITY, buildCenter } from './model';
import type { Agent, Center, CenterOptions, Channel, PauseActivity, Queue, TaskChannel } from './model';
import { EventFactory } from './payloads';
import type { TaskRouterEventParams, TaskView } from './payloads';
import { Random, SidFactory } from './random';
import { Tally } from './tally';
import { weekdayOfLocalDay } from './zone';

export interface SimulationOptions extends CenterOptions {
  /** Seed of the traffic: arrivals, durations, outcomes and event/task/reservation sids. */
  seed: number;
  /** Start of simulated time, epoch ms. */
  start: number;
  /** End of simulated time (exclusive), epoch ms; `Infinity` runs until the consumer stops. */
  end: number;
  /** Emit `activity.created` and `worker.created` at the start (default true). */
  announce?: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface Reservation {
  sid: string;
  task: Task;
  agent: AgentState;
  /** Pending an answer, or accepted and not yet completed. */
  open: boolean;
  outcome: 'accept' | 'reject' | 'timeout';
}

interface Task extends TaskView {
  attributes: Record<string, unknown>;
  outbound: boolean;
  reservation: Reservation | null;
  /** Has any reservation of this task been accepted. */
  accepted: boolean;
  /** When it was accepted (epoch ms), for the agents' time-share ground truth. */
  acceptedAt?: number;
  /** Agents who rejected or let a reservation of this task time out; not offered it again. */
  refused: AgentState[] | null;
  /** The queue timeout passed while a reservation was pending: move once it is answered. */
  timeoutDue: boolean;
  escalated: boolean;
}

interface AgentState {
  agent: Agent;
  /** Index into `Center.activities`. */
  activity: number;
  /** When the current activity began, epoch ms. */
  since: number;
  reservation: Reservation | null;
  /** Activity to switch to once the current task is done (a pause, or Offline at shift end). */
  pending: { activity: number; durationMs: number } | null;
  /** Bumped on every activity change; stale pause ends compare it. */
  epoch: number;
  onShift: boolean;
  /** Queues whose expression matches this agent. */
  queues: Queue[];
}

type Happening =
  | { kind: 'arrival' }
  | { kind: 'plan'; day: number }
  | { kind: 'shiftStart' | 'shiftEnd'; agent: AgentState }
  | { kind: 'pause'; agent: AgentState; activity: number; durationMs: number }
  | { kind: 'pauseEnd'; agent: AgentState; epoch: number }
  | { kind: 'respond'; reservation: Reservation }
  | { kind: 'talkEnd' | 'wrapEnd' | 'patience' | 'escalate'; task: Task }
  | { kind: 'queueTimeout'; task: Task; queue: Queue };

interface Node {
  /** Epoch ms. */
  at: number;
  /** Insertion order, breaking ties so equal times stay deterministic. */
  seq: number;
  what: Happening;
}

/** Binary min-heap of happenings ordered by (time, insertion order). */
class Agenda {
  private readonly nodes: Node[] = [];
  private seq = 0;

  get size(): number {
    return this.nodes.length;
  }

  peek(): Node | undefined {
    return this.nodes[0];
  }

  push(at: number, what: Happening): void {
    const nodes = this.nodes;
    const node: Node = { at, seq: this.seq++, what };
    let i = nodes.length;
    nodes.push(node);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = nodes[parent]!;
      if (p.at < at || (p.at === at && p.seq < node.seq)) break;
      nodes[i] = p;
      i = parent;
    }
    nodes[i] = node;
  }

  pop(): Node | undefined {
    const nodes = this.nodes;
    const top = nodes[0];
    const last = nodes.pop();
    if (top === undefined || last === undefined || nodes.length === 0) return top;
    const n = nodes.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = nodes[l]!;
      if (r < n) {
        const right = nodes[r]!;
        if (right.at < child.at || (right.at === child.at && right.seq < child.seq)) {
          c = r;
          child = right;
        }
      }
      if (last.at < child.at || (last.at === child.at && last.seq < child.seq)) break;
      nodes[i] = child;
      i = c;
    }
    nodes[i] = last;
    return top;
  }
}

const PAUSE_INDEX: Record<PauseActivity, number> = { Break: ACTIVITY.Break, Lunch: ACTIVITY.Lunch, Training: ACTIVITY.Training };

/** One run of the center; `events()` yields its TaskRouter events in time order. */
export class Simulation {
  readonly center: Center;
  readonly tally: Tally;
  private readonly start: number;
  private readonly end: number;
  private readonly announce: boolean;
  private readonly random: Random;
  private readonly sids: SidFactory;
  private readonly factory: EventFactory;
  private readonly agenda = new Agenda();
  private readonly agents: AgentState[];
  /** Free agents in an available activity, in the order they became free (longest idle first). */
  private readonly idle = new Set<AgentState>();
  /** Per queue index: tasks in the queue not yet accepted (stale entries pruned lazily). */
  private readonly waiting: Task[][];
  private readonly entryQueues: Queue[];
  private readonly entryShares: number[];
  /** Arrivals per ms at the busiest instant; candidates are thinned down to the profile. */
  private readonly peakRatePerMs: number;
  private readonly intradayScale: number;
  private readonly weekdayScale: number;
  private readonly out: TaskRouterEventParams[] = [];
  private started = false;

  constructor(options: SimulationOptions, tally?: Tally) {
    if (!Number.isFinite(options.seed)) throw new RangeError('seed must be a finite number');
    if (!Number.isFinite(options.start)) throw new RangeError('start must be epoch milliseconds');
    if (Number.isNaN(options.end) || options.end < options.start) throw new RangeError('end must be epoch milliseconds not before start');
    this.center = buildCenter(options);
    this.tally = tally ?? new Tally();
    this.start = Math.round(options.start);
    this.end = options.end;
    this.announce = options.announce ?? true;
    this.random = new Random(options.seed);
    // Event, task and reservation sids depend on the start too, so a history run and a live run
    // with the same seed never reuse a sid.
    this.sids = new SidFactory(options.seed, this.start, 0x5eed);
    this.factory = new EventFactory(this.center, this.sids);
    const c = this.center;
    for (const q of c.queues) this.tally.register(q.name);
    this.agents = c.agents.map((agent) => ({
      agent,
      activity: ACTIVITY.Offline,
      since: this.start,
      reservation: null,
      pending: null,
      epoch: 0,
      onShift: false,
      queues: c.queues.filter((q) => (agent.queueMask & q.bit) !== 0),
    }));
    for (const a of this.agents) this.tally.agentActivity(a.agent.name, this.start, false, false);
    this.waiting = c.queues.map(() => []);
    this.entryQueues = c.queues.filter((q) => !q.overflow && q.share > 0);
    this.entryShares = this.entryQueues.map((q) => q.share);
    this.intradayScale = Math.max(...c.behaviour.intraday);
    this.weekdayScale = Math.max(...c.behaviour.weekday);
    this.peakRatePerMs = c.arrivalsPerHour / HOUR_MS;
  }

  /** The events, in time order (equal times in causal order). Lazily generated: O(1) memory in the run length. */
  *events(): Generator<TaskRouterEventParams, void, undefined> {
    if (this.started) throw new Error('a Simulation runs once; create another for a second pass');
    this.started = true;
    const c = this.center;
    if (this.announce) {
      for (const activity of c.activities) this.out.push(this.factory.activityCreated(this.start, activity));
      const offline = c.activities[ACTIVITY.Offline]!;
      for (const a of this.agents) this.out.push(this.factory.workerCreated(this.start, a.agent, offline));
    }
    // Yesterday's night shifts may still be running at the start.
    const today = Math.floor(c.zone.local(this.start) / DAY_MS);
    this.planDay(today - 1);
    this.planDay(today);
    this.agenda.push(Math.max(this.start, c.zone.toEpoch((today + 1) * DAY_MS)), { kind: 'plan', day: today + 1 });
    if (this.peakRatePerMs > 0) this.agenda.push(this.start + this.nextCandidateGap(), { kind: 'arrival' });

    const out = this.out;
    for (;;) {
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
      const next = this.agenda.peek();
      if (next === undefined || next.at >= this.end) return;
      this.agenda.pop();
      this.handle(next.at, next.what);
    }
  }

  private handle(at: number, what: Happening): void {
    switch (what.kind) {
      case 'arrival':
        if (this.random.next() * this.peakRatePerMs < this.rateAt(at)) this.createTask(at);
        this.agenda.push(at + this.nextCandidateGap(), what);
        return;
      case 'plan':
        this.planDay(what.day);
        this.agenda.push(this.center.zone.toEpoch((what.day + 1) * DAY_MS), { kind: 'plan', day: what.day + 1 });
        return;
      case 'shiftStart':
        return this.shiftStart(what.agent, at);
      case 'shiftEnd':
        return this.shiftEnd(what.agent, at);
      case 'pause':
        return this.pause(what.agent, what.activity, what.durationMs, at);
      case 'pauseEnd':
        if (what.agent.epoch === what.epoch) {
          this.setActivity(what.agent, ACTIVITY.Available, at);
          this.findWork(what.agent, at);
        }
        return;
      case 'respond':
        return this.respond(what.reservation, at);
      case 'talkEnd':
        return this.talkEnd(what.task, at);
      case 'wrapEnd':
        return this.wrapEnd(what.task, at);
      case 'patience':
        return this.cancel(what.task, at);
      case 'escalate':
        return this.escalate(what.task, at);
      case 'queueTimeout':
        return this.queueTimeout(what.task, what.queue, at);
    }
  }

  // ---- arrivals ----

  /** Milliseconds to the next candidate arrival at the peak rate (thinning keeps the profile's share). */
  private nextCandidateGap(): number {
    return Math.max(1, Math.round(this.random.exponential(1 / this.peakRatePerMs)));
  }

  /** Arrivals per ms at `at`: the peak rate scaled by the intraday (interpolated) and weekday profiles. */
  private rateAt(at: number): number {
    const b = this.center.behaviour;
    const zone = this.center.zone;
    const local = zone.local(at);
    const day = Math.floor(local / DAY_MS);
    const hour = (local - day * DAY_MS) / HOUR_MS;
    const h = Math.floor(hour);
    const frac = hour - h;
    const intraday = (b.intraday[h] ?? 0) * (1 - frac) + (b.intraday[(h + 1) % 24] ?? 0) * frac;
    const weekday = b.weekday[weekdayOfLocalDay(day)] ?? 0;
    return (this.peakRatePerMs * intraday * weekday) / (this.intradayScale * this.weekdayScale);
  }

  private createTask(at: number): void {
    const c = this.center;
    const b = c.behaviour;
    const r = this.random;
    const queue = r.weighted(this.entryQueues, this.entryShares);
    const channelName: Channel = r.chance(b.chatShare) ? 'chat' : 'voice';
    const channel: TaskChannel = c.channels[channelName];
    const outbound = r.chance(b.outboundShare);
    const vip = r.chance(b.vipShare);
    const customer = `+447${String(700_000_000 + r.int(99_999_999))}`;
    const attributes: Record<string, unknown> =
      channelName === 'voice'
        ? {
            direction: outbound ? 'outbound' : 'inbound',
            from: outbound ? c.phoneNumber : customer,
            to: outbound ? customer : c.phoneNumber,
            call_sid: this.sids.next('CA'),
            name: customer,
          }
        : {
            direction: outbound ? 'outbound' : 'inbound',
            from: `web:guest-${100_000 + r.int(900_000)}`,
            channelType: 'web',
            conversationSid: this.sids.next('CH'),
          };
    if (vip) attributes.vip = true;
    const task: Task = {
      sid: this.sids.next('WT'),
      attributes,
      attributesJson: JSON.stringify(attributes),
      createdMs: at,
      priority: vip ? b.vipPriority : 0,
      status: 'pending',
      channel,
      queue,
      queueEnteredIso: new Date(at).toISOString(),
      outbound,
      reservation: null,
      accepted: false,
      refused: null,
      timeoutDue: false,
      escalated: false,
    };
    this.out.push(this.factory.task('task.created', at, task));
    this.tally.created(queue.name, at);
    this.out.push(this.factory.workflow('workflow.entered', at, task));

    let patienceMs: number;
    if (outbound) patienceMs = b.outboundTtlSeconds * 1000;
    else if (r.chance(b.quickHangupShare)) patienceMs = r.uniform(500, 4_900);
    else patienceMs = Math.max(500, r.exponential(b.patienceMeanSeconds[channelName] * 1000));
    this.agenda.push(at + Math.round(patienceMs), { kind: 'patience', task });
    if (b.escalateAfterSeconds !== null) this.agenda.push(at + Math.round(b.escalateAfterSeconds * 1000), { kind: 'escalate', task });

    this.enterQueue(task, queue, at);
  }

  // ---- queues and routing ----

  private enterQueue(task: Task, queue: Queue, at: number): void {
    task.queue = queue;
    task.queueEnteredIso = new Date(at).toISOString();
    this.out.push(this.factory.queue('task-queue.entered', at, task));
    this.tally.entered(queue.name, at);
    this.waiting[queue.index]!.push(task);
    if (!queue.overflow && queue.timeoutSeconds !== null)
      this.agenda.push(at + Math.round(queue.timeoutSeconds * 1000), { kind: 'queueTimeout', task, queue });
    this.route(task, at);
  }

  /** Offers a waiting task to the longest-idle free agent its queue's expression matches. */
  private route(task: Task, at: number): void {
    const bit = task.queue.bit;
    for (const a of this.idle) {
      if ((a.agent.queueMask & bit) === 0) continue;
      if (task.refused !== null && task.refused.includes(a)) continue;
      this.reserve(task, a, at);
      return;
    }
  }

  /** A free agent picks the highest-priority, then oldest, waiting task of its queues; else waits idle. */
  private findWork(a: AgentState, at: number): void {
    let best: Task | null = null;
    for (const q of a.queues) {
      const list = this.waiting[q.index]!;
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const t = list[i]!;
        if (t.queue !== q || (t.status !== 'pending' && t.status !== 'reserved')) continue;
        list[kept++] = t;
        if (t.status !== 'pending' || (t.refused !== null && t.refused.includes(a))) continue;
        if (best === null || t.priority > best.priority || (t.priority === best.priority && t.createdMs < best.createdMs)) best = t;
      }
      list.length = kept;
    }
    if (best !== null) this.reserve(best, a, at);
    else this.idle.add(a);
  }

  private reserve(task: Task, a: AgentState, at: number): void {
    const b = this.center.behaviour;
    const r = this.random;
    this.idle.delete(a);
    const u = r.next();
    const outcome = u < b.reservationTimeoutShare ? 'timeout' : u < b.reservationTimeoutShare + b.rejectShare ? 'reject' : 'accept';
    const timeoutMs = b.reservationTimeoutSeconds * 1000;
    const answerMs = outcome === 'timeout' ? timeoutMs : Math.min(timeoutMs - 1, r.lognormal(b.acceptMedianSeconds * 1000, b.acceptSigma));
    const reservation: Reservation = { sid: this.sids.next('WR'), task, agent: a, open: true, outcome };
    task.reservation = reservation;
    task.status = 'reserved';
    a.reservation = reservation;
    this.out.push(this.reservationEvent('reservation.created', at, reservation));
    this.agenda.push(at + Math.max(1, Math.round(answerMs)), { kind: 'respond', reservation });
  }

  private respond(reservation: Reservation, at: number): void {
    if (!reservation.open) return;
    const { task, agent } = reservation;
    const b = this.center.behaviour;
    if (reservation.outcome === 'accept') {
      task.status = 'assigned';
      this.out.push(this.reservationEvent('reservation.accepted', at, reservation));
      if (!task.accepted) {
        task.accepted = true;
        task.acceptedAt = at;
        this.tally.handled(task.queue.name, at, taskAge(task, at));
      }
      const talkMs = this.random.lognormal(b.handleMedianSeconds[task.channel.name] * 1000, b.handleSigma);
      this.agenda.push(at + Math.max(1000, Math.round(talkMs)), { kind: 'talkEnd', task });
      return;
    }
    reservation.open = false;
    task.reservation = null;
    task.status = 'pending';
    agent.reservation = null;
    if (reservation.outcome === 'reject') {
      this.out.push(this.reservationEvent('reservation.rejected', at, reservation));
      this.tally.rejected(task.queue.name, at);
    } else {
      this.out.push(this.reservationEvent('reservation.timeout', at, reservation));
      this.tally.reservationTimedOut(task.queue.name, at);
    }
    (task.refused ??= []).push(agent);
    if (task.timeoutDue) this.moveToOverflow(task, at);
    else this.route(task, at);
    this.release(agent, at);
  }

  private talkEnd(task: Task, at: number): void {
    const reservation = task.reservation;
    if (reservation === null) return;
    const b = this.center.behaviour;
    task.status = 'wrapping';
    this.out.push(this.factory.task('task.wrapup', at, task));
    this.out.push(this.reservationEvent('reservation.wrapup', at, reservation));
    const wrapMs = this.random.lognormal(b.wrapupMedianSeconds[task.channel.name] * 1000, b.wrapupSigma);
    this.agenda.push(at + Math.max(1000, Math.round(wrapMs)), { kind: 'wrapEnd', task });
  }

  private wrapEnd(task: Task, at: number): void {
    const reservation = task.reservation;
    if (reservation === null) return;
    const q = task.queue;
    const outcome = this.random.weighted(q.outcomeCodes, q.outcomeWeights);
    task.attributes.conversations = { outcome };
    task.attributes.disposition = outcome;
    task.attributesJson = JSON.stringify(task.attributes);
    task.status = 'completed';
    this.out.push(this.factory.task('task.completed', at, task, 'Task completed'));
    this.out.push(this.reservationEvent('reservation.completed', at, reservation));
    this.tally.completed(q.name, at);
    // Default taskTypes: Flex's `direction: "outbound"` is an outgoing call, anything else a queued one.
    this.tally.taskHeld(reservation.agent.agent.name, task.acceptedAt ?? at, at, task.outbound ? 'outgoing' : 'queued');
    reservation.open = false;
    task.reservation = null;
    this.release(reservation.agent, at);
  }

  /** Patience (or an outbound task's TTL) ran out: cancel unless already accepted. */
  private cancel(task: Task, at: number): void {
    if (task.status !== 'pending' && task.status !== 'reserved') return;
    task.status = 'canceled';
    this.out.push(this.factory.task('task.canceled', at, task, task.outbound ? 'Task TTL Exceeded' : 'hangup'));
    this.tally.abandoned(task.queue.name, at, taskAge(task, at));
    const reservation = task.reservation;
    if (reservation !== null) {
      reservation.open = false;
      task.reservation = null;
      this.out.push(this.reservationEvent('reservation.canceled', at, reservation));
      this.release(reservation.agent, at);
    }
  }

  private escalate(task: Task, at: number): void {
    if ((task.status !== 'pending' && task.status !== 'reserved') || task.escalated) return;
    task.escalated = true;
    task.priority += this.center.behaviour.escalatePriorityBy;
    this.out.push(this.factory.task('task.updated', at, task));
  }

  private queueTimeout(task: Task, queue: Queue, at: number): void {
    if (task.queue !== queue) return;
    if (task.status === 'reserved') task.timeoutDue = true;
    else if (task.status === 'pending') this.moveToOverflow(task, at);
  }

  private moveToOverflow(task: Task, at: number): void {
    task.timeoutDue = false;
    this.out.push(this.factory.queue('task-queue.timeout', at, task));
    const left = task.queue;
    this.tally.timedOutAndMoved(left.name, at);
    // Twilio's task-queue.moved names the queue moved to, and the one left as previous_task_queue_*.
    task.queue = this.center.overflow;
    task.queueEnteredIso = new Date(at).toISOString();
    this.out.push(this.factory.queue('task-queue.moved', at, task, left));
    this.enterQueue(task, this.center.overflow, at);
  }

  private reservationEvent(type: Parameters<EventFactory['reservation']>[0], at: number, reservation: Reservation): TaskRouterEventParams {
    const a = reservation.agent;
    return this.factory.reservation(type, at, reservation.task, reservation.sid, a.agent, this.center.activities[a.activity]!);
  }

  // ---- agents ----

  /** The agent's task is over: apply a deferred pause or log-off, else look for the next task. */
  private release(a: AgentState, at: number): void {
    a.reservation = null;
    const pending = a.pending;
    if (pending !== null) {
      a.pending = null;
      if (pending.activity === ACTIVITY.Offline) this.setActivity(a, ACTIVITY.Offline, at);
      else this.startPause(a, pending.activity, pending.durationMs, at);
      return;
    }
    if (a.activity === ACTIVITY.Available) this.findWork(a, at);
  }

  private setActivity(a: AgentState, activity: number, at: number): void {
    const activities = this.center.activities;
    if (activity !== ACTIVITY.Available) this.idle.delete(a);
    this.out.push(this.factory.workerActivityUpdate(at, a.agent, activities[activity]!, activities[a.activity]!, a.since));
    this.tally.agentActivity(a.agent.name, at, activity !== ACTIVITY.Offline, activities[activity]!.available);
    a.activity = activity;
    a.since = at;
    a.epoch++;
  }

  private shiftStart(a: AgentState, at: number): void {
    if (a.onShift) return;
    a.onShift = true;
    if (a.activity !== ACTIVITY.Available) this.setActivity(a, ACTIVITY.Available, at);
    if (a.reservation === null) this.findWork(a, at);
  }

  private shiftEnd(a: AgentState, at: number): void {
    if (!a.onShift) return;
    a.onShift = false;
    if (a.reservation !== null) a.pending = { activity: ACTIVITY.Offline, durationMs: 0 };
    else if (a.activity !== ACTIVITY.Offline) this.setActivity(a, ACTIVITY.Offline, at);
  }

  /** A planned pause: taken now if the agent is free and available, after the current task if busy. */
  private pause(a: AgentState, activity: number, durationMs: number, at: number): void {
    if (!a.onShift || a.activity !== ACTIVITY.Available) return;
    if (a.reservation !== null) {
      if (a.pending === null || a.pending.activity !== ACTIVITY.Offline) a.pending = { activity, durationMs };
      return;
    }
    this.startPause(a, activity, durationMs, at);
  }

  private startPause(a: AgentState, activity: number, durationMs: number, at: number): void {
    this.setActivity(a, activity, at);
    this.agenda.push(at + Math.max(1000, Math.round(durationMs)), { kind: 'pauseEnd', agent: a, epoch: a.epoch });
  }

  /** Schedules the shifts and pauses starting on local day `day` (days since 1970-01-01 in the center's zone). */
  private planDay(day: number): void {
    const c = this.center;
    const b = c.behaviour;
    const r = this.random;
    const zone = c.zone;
    const dayLocal = day * DAY_MS;
    const weekday = weekdayOfLocalDay(day);
    const jitter = (): number => r.normal() * b.jitterMinutes * 60_000;
    for (const a of this.agents) {
      const shift = a.agent.shift;
      if (!shift.days.includes(weekday)) continue;
      const startMs = Math.round(zone.toEpoch(dayLocal + shift.startHour * HOUR_MS + jitter()));
      const endMs = Math.round(zone.toEpoch(dayLocal + shift.endHour * HOUR_MS + jitter()));
      const pauses = b.pauses.map((p) => ({ p, take: r.chance(p.chance), at: Math.round(startMs + p.afterHours * HOUR_MS + jitter()) }));
      if (endMs <= this.start || endMs <= startMs) continue;
      this.agenda.push(Math.max(startMs, this.start), { kind: 'shiftStart', agent: a });
      this.agenda.push(endMs, { kind: 'shiftEnd', agent: a });
      for (const { p, take, at } of pauses) {
        if (!take || at < this.start || at <= startMs || at >= endMs) continue;
        this.agenda.push(at, { kind: 'pause', agent: a, activity: PAUSE_INDEX[p.activity], durationMs: p.minutes * 60_000 });
      }
    }
  }
}

function taskAge(task: Task, at: number): number {
  return Math.floor((at - task.createdMs) / 1000);
}
