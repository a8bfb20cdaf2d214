import {
  type AccessFailureCode,
  accessFailureText,
  classify,
  DeviceAccessError,
  describeFailure,
} from '../device-access/taxonomy.js';
import type { StatusReason } from './types.js';

// The poller's offline reasons are the device-access taxonomy (one classification for probe, poll and every
// feature), plus its own `partial` and `slow` for a device that answers but not fully or not quickly.

/** Why a poll failed. Connect failures arrive already classified by device access; the rest happened on the session. */
export function reasonOf(err: unknown): AccessFailureCode {
  return classify(err, 'session');
}

/** The status message for a failure: TOD's own words, never the peer's bytes. */
export function messageOf(err: unknown): string {
  const code = classify(err, 'session');
  const m = err instanceof DeviceAccessError ? err.message : describeFailure(code, undefined, err);
  return m.slice(0, 500);
}

export const reasonText: Record<StatusReason, string> = {
  ...accessFailureText,
  partial: 'some commands failed',
  slow: 'answers slowly',
};
