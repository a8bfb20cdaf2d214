// The hostile and broken replies of the `flood` and `hugeWord` faults, written straight to the socket.
import type net from 'node:net';
import { encodeLength, encodeSentence, encodeWord } from '@tod/routeros';

const FLOOD_ROWS_PER_WRITE = 64;
const FLOOD_VALUE = 'x'.repeat(1000);

/** 16 MiB: what `hugeWord: true` announces (over the client's default word limit of 8 MiB). */
export const HUGE_WORD_BYTES = 16 * 1024 * 1024;

export interface FloodOptions {
  /** Stop after this many bytes (then `onEnd`). */
  totalBytes?: number;
  /** Checked before every write: false ends the flood (then `onEnd`). */
  active: () => boolean;
  /** The flood ended without the socket closing: the caller ends the command (`!done`). */
  onEnd: () => void;
}

/**
 * Endless ~1 KB `!re` rows for `tag`, 64 per write; waits for `drain` whenever the socket buffer is full, so memory
 * stays at one batch plus what the socket holds however slowly the peer reads. Returns a function that stops it.
 */
export function flood(socket: net.Socket, tag: string | undefined, opts: FloodOptions): () => void {
  const words = ['!re', '=.id=*1', `=data=${FLOOD_VALUE}`];
  if (tag !== undefined) words.push(`.tag=${tag}`);
  const one = encodeSentence(words);
  const batch = Buffer.concat(Array.from({ length: FLOOD_ROWS_PER_WRITE }, () => one));
  let written = 0;
  let stopped = false;
  const step = () => {
    while (!stopped && !socket.destroyed) {
      if (!opts.active() || written >= (opts.totalBytes ?? Number.POSITIVE_INFINITY)) {
        stopped = true;
        opts.onEnd();
        return;
      }
      written += batch.length;
      if (!socket.write(batch)) {
        socket.once('drain', step);
        return;
      }
    }
  };
  setImmediate(step); // after the caller has registered the command
  return () => {
    stopped = true;
    socket.off('drain', step);
  };
}

/** `!re` and the length prefix of a `bytes`-byte word, with none of the word's bytes. */
export function hugeWordAnnouncement(bytes: number): Buffer {
  return Buffer.concat([encodeWord('!re'), encodeLength(bytes)]);
}
