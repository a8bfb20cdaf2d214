// Safe mode's state and its history limit. The commands are in commands/config.ts, the revert when the holder's
// session ends in Device.sessionEnded, the end by a backup load in commands/backup.ts.
import type { Device, SessionLike } from './device.js';
import type { StoreSnapshot } from './store.js';

/** Safe mode, held by one session; `actions` counts the changes made since it was taken. */
export interface SafeModeHold {
  session: SessionLike;
  snapshot: StoreSnapshot;
  actions: number;
}

/** RouterOS keeps up to 100 actions in safe mode; one more and the session leaves safe mode with nothing undone. */
export const SAFE_MODE_HISTORY = 100;

/** One configuration change (add, set, unset, remove, move, enable, disable) from any session or script. */
export function countChange(device: Device): void {
  const held = device.safeMode;
  if (!held || ++held.actions <= SAFE_MODE_HISTORY) return;
  // Out of history: RouterOS puts the session out of safe mode and undoes nothing.
  device.safeMode = undefined;
  device.log('system,warning', 'safe mode released: too many changes (history full)');
}
