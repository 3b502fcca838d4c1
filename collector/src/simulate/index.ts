// Public API of the TaskRouter contact-center simulator: deterministic event generation, ground
// truth, CloudEvent conversion and signed delivery to a collector.
import { Simulation } from './engine';
import type { SimulationOptions } from './engine';
import type { TaskRouterEventParams } from './payloads';
import type { Tally } from './tally';

export type { SimulationOptions } from './engine';
export { Simulation } from './engine';
export { buildCenter, compileExpression, ACTIVITY_NAMES, CHANNELS, DEFAULT_BEHAVIOUR, DEFAULT_QUEUES } from './model';
export type {
  Activity,
  Agent,
  Behaviour,
  Center,
  CenterOptions,
  Channel,
  PauseSpec,
  Queue,
  QueueSpec,
  Shift,
  WorkerAttributes,
} from './model';
export { toCloudEvent, snakeCase, SIMULATED_EVENT_TYPES, RESOURCE_TYPES } from './payloads';
export type {
  CloudEvent,
  CloudEventValue,
  CommonEventFields,
  ResourceType,
  SimulatedEventType,
  TaskAssignmentStatus,
  TaskRouterEventParams,
} from './payloads';
export { Tally, createTally, formatTally, avgWaitSeconds, serviceLevelPercent, emptyCounts, agentTimeShare, TALLY_FIELDS } from './tally';
export type { AgentTimeline, AgentTimeShare, ServiceLevelSeconds, TallyCounts } from './tally';
export { sendCallback, sendBatch, signBatch, runHistory, runLive, BATCH_EVENTS, type SignedBatch } from './send';
export type { CollectorTarget, HistoryOptions, LiveOptions } from './send';

/**
 * Streams the simulation's TaskRouter events in time order, generated lazily (memory does not
 * grow with the run length). The same options give the same events; `tally` records ground truth.
 */
export function* simulateEvents(opts: SimulationOptions, tally?: Tally): Generator<TaskRouterEventParams, void, undefined> {
  yield* new Simulation(opts, tally).events();
}
