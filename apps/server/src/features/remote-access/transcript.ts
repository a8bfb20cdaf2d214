import type pg from 'pg';
import type { Logger } from 'pino';
import { withTenant } from '../../platform/db/tx.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';
import { remoteAccessRepo } from './remote-access.repo.js';

// A terminal's transcript: what the router sent (which includes what it echoed of the user's typing, and leaves out
// what it did not echo, such as passwords), sealed with the organisation's key in chunks written every few seconds,
// so a crash loses seconds, not the session. Bounded: past MAX_BYTES recording stops with a note.

const CHUNK_BYTES = 64 * 1024;
const FLUSH_MS = 5_000;
const MAX_BYTES = 16 * 1024 * 1024;

export const transcriptContext = (sessionId: string, seq: number) => `remote-transcript:${sessionId}:${seq}`;

export function createTranscript(o: {
  tenantId: string;
  sessionId: string;
  envelope: Envelope;
  use: KeyUse;
  appPool: pg.Pool;
  log: Logger;
}) {
  let buffered: Buffer[] = [];
  let size = 0;
  let total = 0;
  let seq = 0;
  let writing: Promise<void> = Promise.resolve();

  const flush = () => {
    if (size === 0) return writing;
    const data = Buffer.concat(buffered);
    buffered = [];
    size = 0;
    const n = seq++;
    writing = writing
      .then(async () => {
        const sealed = await o.envelope.encrypt(o.tenantId, data, transcriptContext(o.sessionId, n), o.use);
        await withTenant(o.appPool, o.tenantId, (db) =>
          remoteAccessRepo.addTranscript(db, o.tenantId, o.sessionId, n, sealed),
        );
      })
      .catch((e) => o.log.warn({ err: e, session: o.sessionId }, 'terminal transcript: a chunk was not stored'));
    return writing;
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();

  return {
    push(b: Buffer) {
      if (total >= MAX_BYTES) return;
      total += b.length;
      buffered.push(total >= MAX_BYTES ? Buffer.from('\r\n[TOD: transcript limit reached; recording stopped]\r\n') : b);
      size += b.length;
      if (size >= CHUNK_BYTES) void flush();
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
