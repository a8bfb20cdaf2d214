// A log line's severity, from RouterOS topics or a syslog priority. RouterOS marks severity with a topic
// (`system,error,critical`); syslog carries it in the priority (RFC 5424 §6.2.1: 0 emergency … 7 debug).

export const logSeverities = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type LogSeverity = (typeof logSeverities)[number];

const BY_TOPIC: ReadonlyArray<[string, LogSeverity]> = [
  ['critical', 'critical'],
  ['error', 'error'],
  ['warning', 'warning'],
  ['info', 'info'],
  ['debug', 'debug'],
];

/** The severity a RouterOS line's topics name (the gravest one), or undefined when none does. */
export function severityTopic(topics: readonly string[]): LogSeverity | undefined {
  for (const [topic, severity] of BY_TOPIC) if (topics.includes(topic)) return severity;
  return undefined;
}

/** RouterOS lines without a severity topic are informational. */
export const severityOfTopics = (topics: readonly string[]): LogSeverity => severityTopic(topics) ?? 'info';

/** Syslog severity code (0–7) → ours: emergency, alert and critical are critical; notice is info. */
export function severityOfSyslog(code: number): LogSeverity {
  if (code <= 2) return 'critical';
  if (code === 3) return 'error';
  if (code === 4) return 'warning';
  if (code <= 6) return 'info';
  return 'debug';
}
