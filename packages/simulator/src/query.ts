// API queries as the RouterOS API manual ("Queries") documents them. Every word pushes a boolean onto a stack that
// starts as infinitely many `true` values; an item matches when no `false` is left at the end.
//   ?name             true if the item has property `name`
//   ?-name            true if it has not
//   ?name=x ?=name=x  true if `name` equals x
//   ?<name=x ?>name=x true if `name` is less / greater than x
//   ?#ops             left to right: digits are a stack index (0 = top); followed by another character they push a
//                     copy of that value, at the end of the word they replace the whole stack with it. `!` negates
//                     the top, `&` and `|` pop two values and push their and/or, `.` after an index does nothing
//                     and elsewhere pushes a copy of the top.

export type Row = Record<string, string>;

/** The stack: explicit values above an endless run of `floor` (true at first; `?#N` at a word's end resets it). */
interface Stack {
  values: boolean[];
  floor: boolean;
}
type Step = (row: Row, s: Stack) => void;

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function pop(s: Stack): boolean {
  return s.values.length > 0 ? (s.values.pop() as boolean) : s.floor;
}

function at(s: Stack, index: number): boolean {
  return s.values[s.values.length - 1 - index] ?? s.floor;
}

/** API rows say `true`/`false`; clients such as librouteros query booleans as `yes`/`no`, which RouterOS accepts. */
function equals(have: string, want: string): boolean {
  if (have === want) return true;
  if (have === 'true') return want === 'yes';
  if (have === 'false') return want === 'no';
  return false;
}

function opSteps(ops: string): Step[] {
  const steps: Step[] = [];
  let afterIndex = false;
  for (let i = 0; i < ops.length; i++) {
    const c = ops[i] as string;
    if (/\d/.test(c)) {
      let j = i;
      while (j + 1 < ops.length && /\d/.test(ops[j + 1] as string)) j++;
      const index = Number(ops.slice(i, j + 1));
      i = j;
      if (i === ops.length - 1) {
        steps.push((_row, s) => {
          s.floor = at(s, index);
          s.values = [];
        });
      } else {
        steps.push((_row, s) => s.values.push(at(s, index)));
      }
      afterIndex = true;
      continue;
    }
    if (c === '.') {
      if (!afterIndex) {
        steps.push((_row, s) => {
          const v = pop(s);
          s.values.push(v, v);
        });
      }
    } else if (c === '!') {
      steps.push((_row, s) => s.values.push(!pop(s)));
    } else if (c === '&' || c === '|') {
      steps.push((_row, s) => {
        const b = pop(s);
        const a = pop(s);
        s.values.push(c === '|' ? a || b : a && b);
      });
    } else {
      throw new QueryError(`unknown query operation ${JSON.stringify(c)}`);
    }
    afterIndex = false;
  }
  return steps;
}

function wordStep(w: string): Step[] {
  const body = w.slice(1);
  if (body.startsWith('#')) return opSteps(body.slice(1));
  if (body.startsWith('-')) {
    const name = body.slice(1);
    return [(row, s) => s.values.push(!(name in row))];
  }
  const op = body[0] === '=' || body[0] === '<' || body[0] === '>' ? body[0] : undefined;
  const rest = op ? body.slice(1) : body;
  const eq = rest.indexOf('=');
  if (eq < 0) {
    // `?name` tests presence; the operator forms are documented only with a value.
    if (op) throw new QueryError(`query word ${JSON.stringify(w)} needs a value`);
    return [(row, s) => s.values.push(rest in row)];
  }
  const name = rest.slice(0, eq);
  const value = rest.slice(eq + 1);
  if (name === '') throw new QueryError(`query word ${JSON.stringify(w)} has no property name`);
  if (op === '<') return [(row, s) => s.values.push(name in row && compare(row[name] as string, value) < 0)];
  if (op === '>') return [(row, s) => s.values.push(name in row && compare(row[name] as string, value) > 0)];
  // An empty value also matches an item without the property (as `find x=""` does).
  return [(row, s) => s.values.push(name in row ? equals(row[name] as string, value) : value === '')];
}

/** Compile `?...` words into a predicate over API rows. */
export function compileQuery(words: string[]): ((row: Row) => boolean) | undefined {
  if (words.length === 0) return undefined;
  const steps = words.flatMap(wordStep);
  return (row) => {
    const s: Stack = { values: [], floor: true };
    for (const step of steps) step(row, s);
    return s.floor && s.values.every(Boolean);
  };
}
