import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small Transit-compatible server for tests and benches, written from OpenBao's API documentation
// (https://openbao.org/api-docs/secret/transit/): OpenBao cannot be installed on these machines. It is a real HTTP
// server on loopback that speaks the parts of the API TOD uses, the way OpenBao does:
//  - X-Vault-Token authentication (403 `{"errors":["permission denied"]}` otherwise);
//  - POST /v1/<mount>/keys/:name (aes256-gcm96; creating an existing key changes nothing), GET …/keys/:name,
//    POST …/keys/:name/rotate, POST …/keys/:name/config (min_decryption_version);
//  - POST …/encrypt/:name (creates a missing key, as a token with `create` may), …/decrypt/:name, …/rewrap/:name,
//    …/datakey/plaintext|wrapped/:name (bits 128/256/512);
//  - ciphertexts `vault:v<N>:<base64(nonce ‖ ciphertext ‖ tag)>` under AES-256-GCM with a random 96-bit nonce and the
//    optional associated_data; versions below min_decryption_version refused; 4xx bodies `{"errors":[…]}`.
// Not modelled: policies beyond one token, derived/convergent keys, batch input, other key types, storage.

type Key = { versions: Buffer[]; created: number[]; minDecryption: number };

export type TransitServer = {
  url: string;
  token: string;
  mount: string;
  /** Requests served, by `<method> <operation>` (e.g. `POST decrypt`), for counting provider calls. */
  calls: Map<string, number>;
  /** The server's keys (name → versions), for tests that inspect or break them. */
  keys: Map<string, Key>;
  /** Stops answering (requests hang until `hang = false` or close): a provider that does not reply. */
  hang: boolean;
  close(): Promise<void>;
};

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CIPHERTEXT = /^vault:v(\d+):([A-Za-z0-9+/]+={0,2})$/;

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  if (aad.length) c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

function open(key: Buffer, blob: Buffer, aad: Buffer): Buffer {
  if (blob.length < 28) throw new Refusal(400, 'invalid ciphertext: unable to decrypt');
  const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
  if (aad.length) d.setAAD(aad);
  d.setAuthTag(blob.subarray(blob.length - 16));
  try {
    return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
  } catch {
    throw new Refusal(400, 'cipher: message authentication failed');
  }
}

const b64 = (v: unknown, field: string): Buffer => {
  if (v === undefined || v === '') return Buffer.alloc(0);
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
    throw new Refusal(400, `failed to base64-decode ${field}`);
  return Buffer.from(v, 'base64');
};

export async function startTransitServer(opts: { token?: string; mount?: string } = {}): Promise<TransitServer> {
  const token = opts.token ?? `s.${randomBytes(12).toString('hex')}`;
  const mount = opts.mount ?? 'transit';
  const keys = new Map<string, Key>();
  const calls = new Map<string, number>();
  const waiting = new Set<ServerResponse>();

  const newKey = (): Key => ({
    versions: [randomBytes(32)],
    created: [Math.floor(Date.now() / 1000)],
    minDecryption: 1,
  });
  const keyOf = (name: string) => {
    const k = keys.get(name);
    if (!k) throw new Refusal(400, 'encryption key not found');
    return k;
  };
  const encryptWith = (k: Key, plaintext: Buffer, aad: Buffer, version = k.versions.length) =>
    `vault:v${version}:${seal(k.versions[version - 1]!, plaintext, aad).toString('base64')}`;
  function decryptWith(k: Key, ciphertext: unknown, aad: Buffer): Buffer {
    const m = typeof ciphertext === 'string' ? CIPHERTEXT.exec(ciphertext) : null;
    if (!m) throw new Refusal(400, 'invalid ciphertext: no prefix');
    const v = Number(m[1]);
    if (v < k.minDecryption)
      throw new Refusal(400, 'ciphertext or signature version is disallowed by policy (too old)');
    if (v > k.versions.length) throw new Refusal(400, 'invalid key version');
    return open(k.versions[v - 1]!, Buffer.from(m[2]!, 'base64'), aad);
  }
  const info = (name: string, k: Key) => ({
    name,
    type: 'aes256-gcm96',
    derived: false,
    exportable: false,
    deletion_allowed: false,
    keys: Object.fromEntries(k.created.map((t, i) => [String(i + 1), t])),
    latest_version: k.versions.length,
    min_decryption_version: k.minDecryption,
    min_encryption_version: 0,
    supports_encryption: true,
    supports_decryption: true,
  });

  function handle(method: string, path: string, body: Record<string, unknown>): { status: number; data?: unknown } {
    const prefix = `/v1/${mount}/`;
    if (!path.startsWith(prefix))
      throw new Refusal(404, `no handler for route "${path.slice(4)}". route entry not found.`);
    const parts = path.slice(prefix.length).split('/');
    const [op, a, b, c] = parts;
    const count = (what: string) => calls.set(`${method} ${what}`, (calls.get(`${method} ${what}`) ?? 0) + 1);
    if (op === 'keys' && a && !b) {
      count('keys');
      if (method === 'GET') {
        const k = keys.get(a);
        if (!k) throw new Refusal(404, '');
        return { status: 200, data: info(a, k) };
      }
      if (method !== 'POST') throw new Refusal(405, 'unsupported operation');
      if (body.type !== undefined && body.type !== 'aes256-gcm96')
        throw new Refusal(400, `unknown key type: ${String(body.type)}`);
      if (!keys.has(a)) keys.set(a, newKey());
      return { status: 200, data: info(a, keys.get(a)!) };
    }
    if (method !== 'POST') throw new Refusal(405, 'unsupported operation');
    if (op === 'keys' && a && b === 'rotate' && !c) {
      count('rotate');
      const k = keyOf(a);
      k.versions.push(randomBytes(32));
      k.created.push(Math.floor(Date.now() / 1000));
      return { status: 200, data: info(a, k) };
    }
    if (op === 'keys' && a && b === 'config' && !c) {
      count('config');
      const k = keyOf(a);
      const min = Number(body.min_decryption_version ?? k.minDecryption);
      if (!Number.isInteger(min) || min < 1 || min > k.versions.length)
        throw new Refusal(400, 'cannot set min decryption version to a value greater than the latest version');
      k.minDecryption = min;
      return { status: 200, data: info(a, k) };
    }
    if (op === 'encrypt' && a && !b) {
      count('encrypt');
      if (typeof body.plaintext !== 'string') throw new Refusal(400, 'missing plaintext to encrypt');
      if (!keys.has(a)) keys.set(a, newKey());
      const k = keys.get(a)!;
      const version = body.key_version ? Number(body.key_version) : k.versions.length;
      if (!Number.isInteger(version) || version < 1 || version > k.versions.length)
        throw new Refusal(400, 'invalid key version');
      const ciphertext = encryptWith(
        k,
        b64(body.plaintext, 'plaintext'),
        b64(body.associated_data, 'associated_data'),
        version,
      );
      return { status: 200, data: { ciphertext, key_version: version } };
    }
    if (op === 'decrypt' && a && !b) {
      count('decrypt');
      const plain = decryptWith(keyOf(a), body.ciphertext, b64(body.associated_data, 'associated_data'));
      return { status: 200, data: { plaintext: plain.toString('base64') } };
    }
    if (op === 'rewrap' && a && !b) {
      count('rewrap');
      const k = keyOf(a);
      const plain = decryptWith(k, body.ciphertext, Buffer.alloc(0));
      return {
        status: 200,
        data: { ciphertext: encryptWith(k, plain, Buffer.alloc(0)), key_version: k.versions.length },
      };
    }
    if (op === 'datakey' && (a === 'plaintext' || a === 'wrapped') && b && !c) {
      count('datakey');
      const k = keyOf(b);
      const bits = Number(body.bits ?? 256);
      if (![128, 256, 512].includes(bits)) throw new Refusal(400, 'invalid bits for datakey; must be 128, 256, or 512');
      const dataKey = randomBytes(bits / 8);
      const ciphertext = encryptWith(k, dataKey, b64(body.associated_data, 'associated_data'));
      return {
        status: 200,
        data: {
          ciphertext,
          key_version: k.versions.length,
          ...(a === 'plaintext' ? { plaintext: dataKey.toString('base64') } : {}),
        },
      };
    }
    throw new Refusal(404, `no handler for route "${path.slice(4)}". route entry not found.`);
  }

  const send = (res: ServerResponse, status: number, json?: unknown) => {
    if (json === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(json);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
  };

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1 << 20) return send(res, 413, { errors: ['http: request body too large'] });
      chunks.push(chunk as Buffer);
    }
    if (server.hang) {
      waiting.add(res);
      return;
    }
    if (req.headers['x-vault-token'] !== token) return send(res, 403, { errors: ['permission denied'] });
    let body: Record<string, unknown> = {};
    if (size > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        return send(res, 400, { errors: [`failed to parse JSON input: ${(e as Error).message}`] });
      }
    }
    try {
      const r = handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname, body);
      return send(res, r.status, r.data === undefined ? undefined : { request_id: '', data: r.data });
    } catch (e) {
      if (e instanceof Refusal) return send(res, e.status, { errors: e.message ? [e.message] : [] });
      return send(res, 500, { errors: [(e as Error).message] });
    }
  }

  const http = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: TransitServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    token,
    mount,
    calls,
    keys,
    hang: false,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of waiting) res.destroy();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}
