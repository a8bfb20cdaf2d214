// Line diff (Myers' O(ND) algorithm) and unified-diff output, for showing normalised exports side by side.

export type LineOp = { op: 'equal' | 'insert' | 'delete'; line: string; aLine?: number; bLine?: number };

/** Shortest edit script between two line arrays. Common prefix/suffix are trimmed first (the usual case). */
export function diffLines(a: string[], b: string[]): LineOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: LineOp[] = [];
  for (let i = 0; i < start; i++) ops.push({ op: 'equal', line: a[i] as string, aLine: i + 1, bLine: i + 1 });
  for (const o of myers(a, b, start, endA, start, endB)) ops.push(o);
  for (let i = endA, j = endB; i < a.length; i++, j++)
    ops.push({ op: 'equal', line: a[i] as string, aLine: i + 1, bLine: j + 1 });
  return ops;
}

function myers(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): LineOp[] {
  const n = a1 - a0;
  const m = b1 - b0;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)))
        x = v[offset + k + 1] as number;
      else x = (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards; trace[d] holds V before step d, window [-d-1, d+1].
  const out: LineOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const tv = trace[d] as Int32Array;
    const at = (k: number): number => tv[k + d + 1] as number;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && at(k - 1) < at(k + 1))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: 'equal', line: a[a0 + x] as string, aLine: a0 + x + 1, bLine: b0 + y + 1 });
    }
    if (d > 0) {
      if (x === prevX) {
        y--;
        out.push({ op: 'insert', line: b[b0 + y] as string, bLine: b0 + y + 1 });
      } else {
        x--;
        out.push({ op: 'delete', line: a[a0 + x] as string, aLine: a0 + x + 1 });
      }
    }
  }
  return out.reverse();
}

/** A unified diff (`---`/`+++`/`@@` hunks) of two texts; empty string when they are equal. */
export function unifiedDiff(
  aText: string,
  bText: string,
  options: { aName?: string; bName?: string; context?: number } = {},
): string {
  const a = splitLines(aText);
  const b = splitLines(bText);
  const ops = diffLines(a, b);
  if (ops.every((o) => o.op === 'equal')) return '';
  const ctx = options.context ?? 3;
  const aBefore: number[] = [];
  const bBefore: number[] = [];
  let na = 0;
  let nb = 0;
  for (const o of ops) {
    aBefore.push(na);
    bBefore.push(nb);
    if (o.op !== 'insert') na++;
    if (o.op !== 'delete') nb++;
  }
  const out = [`--- ${options.aName ?? 'a'}`, `+++ ${options.bName ?? 'b'}`];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.op === 'equal') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - ctx);
    // Extend the hunk while the next change is within 2*ctx equal lines.
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]?.op !== 'equal') end++;
      let next = end;
      while (next < ops.length && ops[next]?.op === 'equal') next++;
      if (next < ops.length && next - end <= 2 * ctx) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + ctx);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.op !== 'insert').length;
    const bCount = hunk.filter((o) => o.op !== 'delete').length;
    // Unified diff convention: a zero-length range names the line before it.
    const aStart = (aBefore[start] ?? 0) + (aCount > 0 ? 1 : 0);
    const bStart = (bBefore[start] ?? 0) + (bCount > 0 ? 1 : 0);
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(`${o.op === 'equal' ? ' ' : o.op === 'insert' ? '+' : '-'}${o.line}`);
    i = stop;
  }
  return `${out.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
