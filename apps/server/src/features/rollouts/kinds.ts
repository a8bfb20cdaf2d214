import type { Actor } from '../../platform/auth/principal.js';
import type { OperationRow } from '../changes/operations.repo.js';
import type { Outcome, RolloutDeviceRow, RolloutRow } from './rollouts.repo.js';
import type { RolloutOptions } from './rollouts.schema.js';

// What a rollout does on each device is a kind, registered by the feature that starts such rollouts (templates,
// bulk commands, Simple Config, firmware). A kind either describes a change operation — the rollout engine submits
// it to the safe-change engine under an id it recorded first, and follows it — or runs a step itself (read-only
// commands, a firmware upgrade with its reboots), keeping its progress in `state` so a restart resumes it.

export type StepContext = {
  rollout: RolloutRow;
  device: RolloutDeviceRow;
  /** The rollout's sealed payload, opened (a template's values, which may hold secrets). */
  payload: Record<string, unknown>;
  /** The rollout acting: a system actor named after it, in its tenant. */
  actor: Actor;
  /** Aborted at the device's deadline or when the process stops. */
  signal: AbortSignal;
  /** Saves the kind's own progress for this device (durable; a later run gets it back in `device.state`). */
  saveState(state: Record<string, unknown>): Promise<void>;
};

export type OperationSpec = {
  kind: string;
  request: Record<string, unknown>;
  summary: string;
};

export type RolloutKind = {
  /** Whether steps change routers (a backup of every changed device follows the rollout). */
  changes: boolean;
  /** Option defaults of this kind (a firmware upgrade needs a longer deadline). */
  defaults?: Partial<RolloutOptions>;
} & (
  | {
      operation(ctx: StepContext): Promise<OperationSpec> | OperationSpec;
      /** After the operation is confirmed: the step's output (e.g. reads after a change). Runs again after a crash. */
      after?(ctx: StepContext, operation: OperationRow): Promise<{ output?: string }>;
    }
  | { run(ctx: StepContext): Promise<Outcome> }
);

/** A step's failure with a stable code (thrown by kinds; anything else is `step_failed`). */
export class StepFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
