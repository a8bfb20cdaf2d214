import type { WindowScope } from '@/api/maintenance-windows';
import type { RolloutOptions, Targets } from '@/api/templates';

// A rollout's options as typed in any dialog that starts one (template push, Simple Config on many devices, bulk
// commands, firmware upgrades), with the engine's defaults shown (a canary of 1, batches of 10, 10 at once, pause at
// the first failure, Safe mode, a backup of every changed device at the end), checked here before the server checks
// them again.

export type Mode = NonNullable<RolloutOptions['mode']>;

export type OptionsForm = {
  canary: string;
  batch: string;
  concurrency: string;
  maxFailures: string;
  neverPause: boolean;
  timeout: string;
  mode: Mode;
  later: boolean;
  /** datetime-local, on the browser's clock. */
  at: string;
  backupAfter: boolean;
};

export const defaultOptions: OptionsForm = {
  canary: '1',
  batch: '10',
  concurrency: '10',
  maxFailures: '0',
  neverPause: false,
  timeout: '900',
  mode: 'safe',
  later: false,
  at: '',
  backupAfter: true,
};

const bounds = {
  canary: [0, 1000],
  batch: [1, 10_000],
  concurrency: [1, 500],
  maxFailures: [0, 10_000],
  timeout: [30, 86_400],
} as const;

export type OptionErrors = Partial<Record<keyof OptionsForm, string>>;

/** The API's rollout options, or what is wrong with the fields. */
export function rolloutOptions(
  f: OptionsForm,
  now = Date.now(),
): { options: RolloutOptions; errors?: undefined } | { errors: OptionErrors } {
  const errors: OptionErrors = {};
  const int = (k: keyof typeof bounds) => {
    const [min, max] = bounds[k];
    const text = f[k].trim();
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) errors[k] = `A whole number from ${min} to ${max}`;
    return n;
  };
  const options: RolloutOptions = {
    canary: int('canary'),
    batch_size: int('batch'),
    concurrency: int('concurrency'),
    max_failures: f.neverPause ? null : int('maxFailures'),
    device_timeout_seconds: int('timeout'),
    mode: f.mode,
    backup_after: f.backupAfter,
  };
  if (f.later) {
    const at = f.at ? new Date(f.at) : null;
    if (!at || Number.isNaN(at.getTime())) errors.at = 'Choose a date and time';
    else if (at.getTime() <= now) errors.at = 'Choose a time in the future';
    else options.scheduled_at = at.toISOString();
  }
  return Object.keys(errors).length ? { errors } : { options };
}

/** The picked sites, groups, tags and devices as a rollout's targets (their union). */
export function targetsOf(scopes: readonly WindowScope[]): Targets {
  const ids = (kind: WindowScope['kind']) => scopes.filter((s) => s.kind === kind && s.id).map((s) => s.id as string);
  const out: Targets = {};
  const put = (k: keyof Targets, list: string[]) => {
    if (list.length) out[k] = list;
  };
  put('device_ids', ids('device'));
  put('group_ids', ids('group'));
  put('tag_ids', ids('tag'));
  put('site_ids', ids('site'));
  return out;
}
