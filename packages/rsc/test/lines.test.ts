import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../src/index.js';

/** Length of the longest common subsequence, by dynamic programming (the reference). */
function lcs(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

describe('diffLines (Myers)', () => {
  it('produces a minimal edit script that rebuilds both sides', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.op !== 'insert').map((o) => o.line)).toEqual(a);
        expect(ops.filter((o) => o.op !== 'delete').map((o) => o.line)).toEqual(b);
        expect(ops.filter((o) => o.op === 'equal').length).toBe(lcs(a, b));
      }),
      { numRuns: 400 },
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });
  it('writes hunks with context and correct ranges', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = [...a];
    b[1] = 'changed 2';
    b.splice(15, 1);
    const out = unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`, { aName: 'old.rsc', bName: 'new.rsc' });
    expect(out).toBe(
      [
        '--- old.rsc',
        '+++ new.rsc',
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+changed 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -13,7 +13,6 @@',
        ' line 13',
        ' line 14',
        ' line 15',
        '-line 16',
        ' line 17',
        ' line 18',
        ' line 19',
        '',
      ].join('\n'),
    );
  });
  it('handles one side empty', () => {
    expect(unifiedDiff('', 'x\n')).toBe('--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('x\n', '')).toBe('--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x\n');
  });
});
