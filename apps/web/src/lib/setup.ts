import { prefs } from './storage';

// Where a super_admin is in the first-run wizard. Kept in the browser so the wizard resumes where it was left;
// the server's own state (does a tenant exist?) decides whether it is offered at all.
export type SetupState = {
  step: 1 | 2 | 3;
  tenantId?: string;
  deviceId?: string;
  status: 'active' | 'skipped' | 'done';
};

export function readSetup(): SetupState {
  try {
    const s = JSON.parse(prefs.get('setup') ?? '') as SetupState;
    if ([1, 2, 3].includes(s.step) && ['active', 'skipped', 'done'].includes(s.status)) return s;
  } catch {}
  return { step: 1, status: 'active' };
}

export function writeSetup(s: SetupState) {
  prefs.set('setup', JSON.stringify(s));
}
