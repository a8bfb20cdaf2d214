// A unified diff (`---`/`+++`, `@@ -a,b +c,d @@` hunks) laid out side by side: the old text on the left, the new on
// the right, unchanged lines on both, a removed line beside the line added in its place.

export type Cell = { n: number; text: string; kind: 'same' | 'del' | 'add' };
export type Row = { kind: 'hunk'; text: string } | { kind: 'line'; left: Cell | null; right: Cell | null };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function sideBySide(unified: string): Row[] {
  const lines = unified.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let i = lines[0]?.startsWith('--- ') && lines[1]?.startsWith('+++ ') ? 2 : 0;
  const rows: Row[] = [];
  let a = 0;
  let b = 0;
  let dels: Cell[] = [];
  let adds: Cell[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(dels.length, adds.length); k++)
      rows.push({ kind: 'line', left: dels[k] ?? null, right: adds[k] ?? null });
    dels = [];
    adds = [];
  };
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    const h = HUNK.exec(line);
    if (h) {
      flush();
      a = Number(h[1]);
      b = Number(h[2]);
      // A zero-length range names the line before it.
      if (/^@@ -\d+,0 /.test(line)) a++;
      if (/ \+\d+,0 @@/.test(line)) b++;
      rows.push({ kind: 'hunk', text: line });
      continue;
    }
    const text = line.slice(1);
    if (line.startsWith('-')) dels.push({ n: a++, text, kind: 'del' });
    else if (line.startsWith('+')) adds.push({ n: b++, text, kind: 'add' });
    else if (line.startsWith(' ') || line === '') {
      flush();
      rows.push({ kind: 'line', left: { n: a++, text, kind: 'same' }, right: { n: b++, text, kind: 'same' } });
    }
    // Anything else (`\ No newline at end of file`) is not a line of either text.
  }
  flush();
  return rows;
}
