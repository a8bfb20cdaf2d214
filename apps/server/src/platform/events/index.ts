export { type DispatcherOptions, type EventDispatcher, startEventDispatcher } from './dispatcher.js';
export { canReceiveLive, checkLivePermissions, type LivePermissions, liveMessageOf } from './live.js';
export {
  type DeadLetter,
  deleteOldEvents,
  eventRetentionSchedule,
  listDeadLetters,
  retryDeadLetters,
} from './maintenance.js';
export { EVENTS_CONSUMER, EVENTS_STREAM, EVENTS_SUBJECT_PREFIX } from './nats.js';
export { eventActor, recordEvent, recordEvents } from './record.js';
export type { DomainEvent, EventActor, EventHandler, HandlerContext, JsonValue, NewEvent } from './types.js';
