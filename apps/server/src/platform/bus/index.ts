export { createBus } from './create.js';
export { createMemoryBus } from './memory.js';
export { createNatsBus, RESULTS_CONSUMER, RESULTS_STREAM, RESULTS_SUBJECT } from './nats.js';
export type { Bus, LiveHandler, LiveMessage } from './types.js';
