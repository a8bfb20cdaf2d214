// The Secret Key stays in this browser (IndexedDB) and in the user's printed Emergency Kit; it never goes to the
// server. Keyed by the sign-in identity (email, trimmed and lower-cased), so one browser can hold several accounts.

const DB_NAME = 'tod';
const STORE = 'secret-keys';
const identity = (email: string) => email.trim().toLowerCase();

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = fn(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

export async function loadSecretKey(email: string): Promise<Uint8Array | undefined> {
  if (!email.trim()) return undefined;
  try {
    const v = await run<unknown>('readonly', (s) => s.get(identity(email)));
    return v instanceof Uint8Array && v.length === 16 ? v : undefined;
  } catch {
    return undefined; // private mode or storage blocked: the user types the key
  }
}

export const saveSecretKey = (email: string, key: Uint8Array) =>
  run('readwrite', (s) => s.put(new Uint8Array(key), identity(email)));

export const forgetSecretKey = (email: string) => run('readwrite', (s) => s.delete(identity(email)));
