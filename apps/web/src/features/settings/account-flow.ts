import { signInProof } from '@tod/srp';
import { account, type DeletionReceipt } from '@/api/account';
import { auth } from '@/api/auth';
import { forgetSecretKey } from '@/features/sign-in/secret-key-store';

// Exporting and deleting one's own account. The deletion proves the current password and Secret Key with a fresh
// SRP exchange (like a password change): the password and the key never leave this tab.

/** Saves `data` as a JSON file through the browser's download. */
export function saveJson(fileName: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/** Everything TOD holds about the signed-in person, downloaded as one JSON file. */
export async function downloadMyData() {
  saveJson(`tod-personal-data-${today()}.json`, await account.exportData());
}

/**
 * Deletes the account after proving the current password and Secret Key; keeps the receipt as a file (its salt is
 * what lets the person show later that the receipt is theirs) and forgets the Secret Key this browser held.
 */
export async function deleteMyAccount(
  email: string,
  password: string,
  secretKey: Uint8Array,
  confirm: string,
): Promise<DeletionReceipt> {
  const init = await auth.srpInit(email);
  const proof = await signInProof({ email, password, secretKey, init });
  const receipt = await account.deleteAccount({
    proof: { session_id: init.session_id, A: proof.A, M1: proof.M1 },
    confirm,
  });
  saveJson(`tod-deletion-receipt-${today()}.json`, receipt);
  await forgetSecretKey(email).catch(() => undefined);
  return receipt;
}
