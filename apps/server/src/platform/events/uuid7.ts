import { randomBytes } from 'node:crypto';

// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids made later sort later (within a process even in
// the same millisecond: a counter in rand_a), which keeps the outbox's primary key an append and lets retention
// delete by key range.

let lastMs = 0;
let seq = 0;

function format(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function withTime(b: Buffer, ms: number): Buffer {
  b.writeUIntBE(ms, 0, 6);
  return b;
}

export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1; // 4096 ids in one millisecond: borrow the next one
  } else {
    lastMs = now;
    seq = 0;
  }
  const b = withTime(randomBytes(16), lastMs);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  return format(b);
}
