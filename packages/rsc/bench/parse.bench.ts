// Parse/normalise throughput over the fixtures and semantic-diff time for large exports.
// Prints progress to stderr and one JSON object as the last stdout line.

import { exportFiles, readExport } from '../../../fixtures/index.js';
import {
  diffExports,
  diffToCommands,
  type ExportDocument,
  normalizeExport,
  parseExport,
  serializeExport,
  unifiedDiff,
} from '../src/index.js';

const files = exportFiles();
const texts = new Map(files.map((f) => [f, readExport(f)]));

/** Repeat `fn` for at least `ms` (after a warm-up) and return the mean time per call in ms. */
function time(fn: () => void, ms = 400): number {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn();
    n++;
    now = performance.now();
  }
  return (now - start) / n;
}

const mbps = (bytes: number, msPerCall: number): number => Math.round((bytes / 1e6 / (msPerCall / 1000)) * 10) / 10;

const perFile: Record<string, { bytes: number; parseMBps: number; normalizeMBps: number }> = {};
let totalBytes = 0;
let parseMs = 0;
let normMs = 0;
for (const [f, text] of texts) {
  const p = time(() => parseExport(text));
  const n = time(() => normalizeExport(text));
  perFile[f] = { bytes: text.length, parseMBps: mbps(text.length, p), normalizeMBps: mbps(text.length, n) };
  totalBytes += text.length;
  parseMs += p;
  normMs += n;
  console.error(`${f}: parse ${perFile[f]?.parseMBps} MB/s, normalize ${perFile[f]?.normalizeMBps} MB/s`);
}

// A ~1 MB terse export: the 100 KB fixture repeated with distinct comments/names, and a B side with edits.
const terse = texts.get('v7.23-terse-bkk00.rsc') ?? '';
const copies: ExportDocument['sections'] = [];
for (let r = 0; r < 10; r++) {
  const doc = parseExport(terse);
  for (const s of doc.sections) {
    for (const c of s.commands)
      for (const a of c.args)
        if ((a.name === 'comment' || a.name === 'name') && a.value !== undefined) a.value += `-r${r}`;
  }
  copies.push(...doc.sections);
}
const bigDoc: ExportDocument = { header: { comments: [] }, sections: copies };
const bigA = serializeExport(bigDoc, { style: 'terse' });
let k = 0;
for (const s of bigDoc.sections) {
  for (const c of s.commands) if (k++ % 40 === 0) c.args.push({ name: 'disabled', value: 'yes' });
  if (k % 7 === 0) s.commands.pop();
}
const bigB = serializeExport(bigDoc, { style: 'terse' });
const bigParse = time(() => parseExport(bigA), 1000);
console.error(`1 MB synthetic terse: parse ${mbps(bigA.length, bigParse)} MB/s`);

const dA = texts.get('v7.20-ccr2116.rsc') ?? '';
const fixtureDiff = time(() => diffExports(dA, terse));
const bigDiff = time(() => diffExports(bigA, bigB), 2000);
const bigCommands = time(() => diffToCommands(diffExports(bigA, bigB)), 2000);
const nA = normalizeExport(bigA).text;
const nB = normalizeExport(bigB).text;
const bigLines = time(() => unifiedDiff(nA, nB), 1000);
console.error(
  `diff ccr2116 vs bkk00: ${fixtureDiff.toFixed(1)} ms; 1 MB pair: semantic ${bigDiff.toFixed(0)} ms, +commands ${bigCommands.toFixed(0)} ms, line diff ${bigLines.toFixed(0)} ms`,
);

console.log(
  JSON.stringify({
    bench: 'rsc-parse',
    fixtures: {
      files: files.length,
      bytes: totalBytes,
      parseMBps: mbps(totalBytes, parseMs),
      normalizeMBps: mbps(totalBytes, normMs),
    },
    terse100k: perFile['v7.23-terse-bkk00.rsc'],
    synthetic1MB: { bytes: bigA.length, lines: bigA.split('\n').length - 1, parseMBps: mbps(bigA.length, bigParse) },
    diffMs: {
      ccr2116VsBkk00: Math.round(fixtureDiff * 10) / 10,
      synthetic1MBSemantic: Math.round(bigDiff),
      synthetic1MBWithCommands: Math.round(bigCommands),
      synthetic1MBUnifiedLines: Math.round(bigLines),
    },
    perFile,
  }),
);
