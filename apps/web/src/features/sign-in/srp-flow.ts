import { checkServerProof, enrol, newSecretKey, parseSecretKey, signInProof } from '@tod/srp';
import { auth } from '@/api/auth';
import { ApiError } from '@/api/errors';
import { saveSecretKey } from './secret-key-store';

// The browser's half of sign-in (docs/AUTH.md). The password and the Secret Key never leave this tab: the server
// gets a salt and a verifier at enrolment, and A and M1 at sign-in.

/** A typed or pasted Secret Key as bytes, or undefined when it is not one (any case, spaces and dashes allowed). */
export function readSecretKey(text: string): Uint8Array | undefined {
  try {
    return parseSecretKey(text);
  } catch {
    return undefined;
  }
}

/**
 * Browsers offer WebCrypto only on secure pages (https, or http://localhost). Over plain http to a server's address
 * sign-in cannot work at all, so the screens say so up front instead of failing obscurely.
 */
export const insecureContextMessage = () =>
  window.isSecureContext && globalThis.crypto?.subtle
    ? null
    : 'Signing in needs a secure page: open TOD over https (or on http://localhost). This browser withholds the cryptography TOD uses on plain http.';

/** Password + Secret Key → SRP exchange → a full session (cookies). Remembers the key in this browser. */
export async function srpSignIn(email: string, password: string, secretKey: Uint8Array) {
  const init = await auth.srpInit(email);
  const proof = await signInProof({ email, password, secretKey, init });
  const out = await auth.srpVerify({ session_id: init.session_id, A: proof.A, M1: proof.M1 });
  // The server must prove it holds the verifier too; otherwise this is not our TOD.
  if (!checkServerProof(proof.expectedM2, out.M2)) {
    await auth.logout().catch(() => undefined);
    throw new ApiError(401, 'server_proof_failed', 'the server could not prove its identity');
  }
  await saveSecretKey(email, secretKey);
}

/** A temporary password (first admin, new or reset account): answers an enrol-only session. */
export async function passwordSignIn(email: string, password: string) {
  await auth.login({ email, password });
}

/** Enrolment: a new Secret Key and salt made here, the verifier registered; the key is kept in this browser. */
export async function enrolAccount(email: string, password: string): Promise<Uint8Array> {
  const secretKey = newSecretKey();
  const reg = await enrol({ email, password, secretKey });
  await auth.registerSrp(reg);
  await saveSecretKey(email, secretKey);
  return secretKey;
}

/** Password change: prove the current password and key, register a verifier for the new password, same key. */
export async function changePassword(email: string, current: string, next: string, secretKey: Uint8Array) {
  const init = await auth.srpInit(email);
  const proof = await signInProof({ email, password: current, secretKey, init });
  const reg = await enrol({ email, password: next, secretKey });
  await auth.registerSrp({ ...reg, proof: { session_id: init.session_id, A: proof.A, M1: proof.M1 } });
}
