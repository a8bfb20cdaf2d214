// Codec throughput: ours vs node-routeros on the same bytes, in the same run.
// Workload: 50k `!re` sentences shaped like `/interface print` replies (keys and value shapes from the real 7.16
// fixture), one tag, ended by `!done`, fed to each decoder in 1460-byte chunks (one TCP segment of payload).
// Decode is measured at two levels, each against the matching node-routeros code:
//   words: framing + every word as a string   vs  Receiver.processRawData (which yields packets of word strings)
//   rows:  bytes -> reply objects (ReplyDecoder) vs  Receiver + Channel.parsePacket (its `=key=value` -> object step)
// Encode = turning the same sentences into bytes: encodeSentence vs Transmitter.encodeString per word.

import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { restRows } from '../../../fixtures/index.js';
import { encodeSentence, ReplyDecoder, SentenceDecoder, TextSentenceDecoder } from '../src/index.js';

const SENTENCES = Number(process.env.BENCH_SENTENCES ?? 50_000);
const CHUNK = 1460;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const require = createRequire(import.meta.url);
type Packet = string[];
const { Receiver } = require('node-routeros/dist/connector/Receiver.js') as {
  Receiver: new (
    socket: EventEmitter,
  ) => { read(tag: string, cb: (p: Packet) => void): void; processRawData(d: Buffer): void };
};
const { Channel } = require('node-routeros/dist/Channel.js') as {
  Channel: { prototype: { parsePacket(packet: Packet): Record<string, string> } };
};
const { Transmitter } = require('node-routeros/dist/connector/Transmitter.js') as {
  Transmitter: new (socket: { writable: boolean; write(d: unknown): void }) => { write(d: string | null): void };
};

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

// --- workload -------------------------------------------------------------------------------------------------
const template = restRows('interface')[0]!;
const sentences: string[][] = [];
for (let i = 0; i < SENTENCES; i++) {
  const words = ['!re'];
  for (const [k, v] of Object.entries(template)) {
    let value = v;
    if (k === '.id') value = `*${(i + 1).toString(16).toUpperCase()}`;
    else if (k === 'name') value = `ether${i + 1}`;
    else if (/-(byte|packet)$/.test(k)) value = String(BigInt(v) + BigInt(i) * 7919n);
    words.push(`=${k}=${value}`);
  }
  words.push('.tag=1');
  sentences.push(words);
}
sentences.push(['!done', '.tag=1']);
const stream = Buffer.concat(sentences.map((s) => encodeSentence(s)));
const chunks: Buffer[] = [];
for (let off = 0; off < stream.length; off += CHUNK) chunks.push(stream.subarray(off, off + CHUNK));
const MB = stream.length / 1e6;
log(`workload: ${SENTENCES} sentences, ${MB.toFixed(1)} MB, ${chunks.length} chunks of ${CHUNK} bytes`);

// --- decoders -------------------------------------------------------------------------------------------------
function oursFraming(): number {
  const d = new SentenceDecoder();
  let n = 0;
  for (const c of chunks) n += d.push(c).length;
  return n;
}

function oursWords(): number {
  const d = new TextSentenceDecoder('win1252');
  let n = 0;
  for (const c of chunks) n += d.push(c).length;
  return n;
}

function oursRows(): number {
  // What the client runs on every socket chunk.
  const d = new ReplyDecoder('win1252');
  let n = 0;
  let rows = 0;
  for (const c of chunks) {
    for (const reply of d.push(c)) {
      if (reply.tag !== '1') throw new Error('tag routing broke');
      if (reply.type === '!re' && reply.attrs.name !== undefined) rows++;
      n++;
    }
  }
  if (rows !== SENTENCES) throw new Error(`decoded ${rows} rows, expected ${SENTENCES}`);
  return n;
}

function theirs(parse: boolean): () => number {
  return () => {
    const socket = new EventEmitter();
    const r = new Receiver(socket);
    let n = 0;
    let rows = 0;
    r.read('1', (packet) => {
      n++;
      if (!parse) return;
      const copy = packet.slice();
      const reply = copy.shift();
      const obj = Channel.prototype.parsePacket(copy);
      if (reply === '!re' && obj.name !== undefined) rows++;
    });
    for (const c of chunks) r.processRawData(c);
    if (parse && rows !== SENTENCES) throw new Error(`node-routeros decoded ${rows} rows, expected ${SENTENCES}`);
    return n;
  };
}

// --- encoders -------------------------------------------------------------------------------------------------
function oursEncode(): number {
  let bytes = 0;
  for (const s of sentences) bytes += encodeSentence(s).length;
  return bytes;
}

function theirsEncode(): number {
  let bytes = 0;
  const sink = {
    writable: true,
    write(d: Buffer | string) {
      bytes += d.length;
    },
  };
  const t = new Transmitter(sink);
  // Connector.write: every word through the transmitter, then the null terminator.
  for (const s of sentences) {
    for (const w of s) t.write(w);
    t.write(null);
  }
  return bytes;
}

// --- timing ---------------------------------------------------------------------------------------------------
// The machine is shared with other work, so ours and theirs run interleaved (ours, theirs, ours, theirs, ...) and
// each ratio is the median of the per-pair ratios: both sides of a pair see the same load. MB/s figures are the
// fastest run (the least disturbed one).
function time(fn: () => number): { ms: number; result: number } {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

interface Side {
  mbps: number;
  result: number;
}

function compare(label: string, ours: () => number, theirs: () => number): { ours: Side; theirs: Side; ratio: number } {
  ours();
  theirs(); // warm-up
  const a: number[] = [];
  const b: number[] = [];
  let ra = 0;
  let rb = 0;
  for (let i = 0; i < RUNS; i++) {
    const x = time(ours);
    const y = time(theirs);
    a.push(x.ms);
    b.push(y.ms);
    ra = x.result;
    rb = y.result;
  }
  const ratios = a.map((ms, i) => b[i]! / ms).sort((p, q) => p - q);
  const ratio = Math.round(ratios[Math.floor(ratios.length / 2)]! * 10) / 10;
  const mbps = (ms: number[]) => Math.round((MB / (Math.min(...ms) / 1000)) * 10) / 10;
  const result = { ours: { mbps: mbps(a), result: ra }, theirs: { mbps: mbps(b), result: rb }, ratio };
  log(`${label}: ours ${result.ours.mbps} MB/s, node-routeros ${result.theirs.mbps} MB/s, ratio ${ratio}`);
  return result;
}

oursFraming(); // warm-up
const framing = { ms: Math.min(...Array.from({ length: RUNS }, () => time(oursFraming).ms)) };
log(`ours framing only (word bytes): ${(MB / (framing.ms / 1000)).toFixed(0)} MB/s`);
const words = compare('decode words (strings)', oursWords, theirs(false));
const rows = compare('decode rows (objects)', oursRows, theirs(true));
const enc = compare('encode', oursEncode, theirsEncode);

const result = {
  name: 'routeros-codec',
  workload: { sentences: SENTENCES, megabytes: Math.round(MB * 10) / 10, chunkBytes: CHUNK, runs: RUNS },
  method: 'MB/s = fastest run; ratio = median of interleaved per-run ratios',
  decode: {
    oursFramingMBps: Math.round((MB / (framing.ms / 1000)) * 10) / 10,
    oursWordsMBps: words.ours.mbps,
    nodeRouterosWordsMBps: words.theirs.mbps,
    ratioWords: words.ratio,
    oursRowsMBps: rows.ours.mbps,
    nodeRouterosRowsMBps: rows.theirs.mbps,
    ratioRows: rows.ratio,
    sentences: { ours: rows.ours.result, nodeRouteros: rows.theirs.result, expected: sentences.length },
  },
  encode: {
    oursMBps: enc.ours.mbps,
    nodeRouterosMBps: enc.theirs.mbps,
    ratio: enc.ratio,
    sameByteCount: enc.ours.result === enc.theirs.result,
  },
};
console.log(JSON.stringify(result));
