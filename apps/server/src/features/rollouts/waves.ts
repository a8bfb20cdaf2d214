import type { RolloutOptions, RolloutOptionsInput } from './rollouts.schema.js';

// Waves: a canary of N devices first, then batches; a wave starts only when every device of the one before has
// finished, so a canary that fails pauses the rollout (the failure threshold) before the fleet is touched.

export const DEFAULT_OPTIONS: RolloutOptions = {
  canary: 1,
  batch_size: 10,
  concurrency: 10,
  max_failures: 0,
  device_timeout_seconds: 900,
  mode: 'safe',
  backup_after: true,
};

/** Stored options: the request's, over the kind's defaults, over the engine's. */
export function resolveOptions(input: RolloutOptionsInput | undefined, kindDefaults: Partial<RolloutOptions> = {}) {
  const { scheduled_at: _, ...rest } = input ?? {};
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_OPTIONS, ...kindDefaults, ...given } as RolloutOptions;
}

/** Whether a stop time (`stop_at`, ISO) has come: no device starts after it. */
export const stopPassed = (stopAt: string | null | undefined): boolean => !!stopAt && Date.parse(stopAt) <= Date.now();

/** The wave of the device at `position` (0-based). */
export function waveOf(position: number, o: Pick<RolloutOptions, 'canary' | 'batch_size'>): number {
  if (position < o.canary) return 0;
  return (o.canary > 0 ? 1 : 0) + Math.floor((position - o.canary) / o.batch_size);
}

export function waveCount(devices: number, o: Pick<RolloutOptions, 'canary' | 'batch_size'>): number {
  return devices === 0 ? 0 : waveOf(devices - 1, o) + 1;
}
