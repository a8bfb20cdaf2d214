import { api, unwrap } from './client';
import type { Body, Json } from './types';

// The signed-in person's own account (GDPR): everything TOD holds about them, and deleting it. Deleting ends the
// session, so the flow that calls it clears the whole cache rather than naming keys (like signing out).

export type PersonalData = Json<'/api/auth/me/export', 'get', 200>;
export type DeletionReceipt = Json<'/api/auth/me', 'delete', 200>;

export const account = {
  exportData: () => unwrap(api.GET('/api/auth/me/export')),
  /** Needs a fresh SRP proof of the current password (features/settings/account-flow.ts makes one). */
  deleteAccount: (body: Body<'/api/auth/me', 'delete'>) => unwrap(api.DELETE('/api/auth/me', { body })),
};
