// API queries (`?name=x`, `?-name`, `?<name=x`, `?>name=x`, `?#|&!.`) with RouterOS stack semantics: every word
// pushes a boolean; `?#` operators combine the stack; at the end the whole stack is ANDed.

export type Row = Record<string, string>;
type Step = (row: Row, stack: boolean[]) => void;

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function pop(stack: boolean[]): boolean {
  // RouterOS treats a missing operand as true (an empty stack is a match-all).
  return stack.length > 0 ? (stack.pop() as boolean) : true;
}

function opSteps(ops: string): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < ops.length; i++) {
    const c = ops[i] as string;
    if (c === '|' || c === '&') {
      steps.push((_row, s) => {
        const b = pop(s);
        const a = pop(s);
        s.push(c === '|' ? a || b : a && b);
      });
    } else if (c === '!') {
      steps.push((_row, s) => s.push(!pop(s)));
    } else if (c === '.') {
      // `.` pushes a copy of the top value (right after an index it does nothing: it only ends the number).
      steps.push((_row, s) => {
        const v = pop(s);
        s.push(v, v);
      });
    } else if (/\d/.test(c)) {
      let j = i;
      while (j + 1 < ops.length && /\d/.test(ops[j + 1] as string)) j++;
      const index = Number(ops.slice(i, j + 1));
      i = j;
      if (ops[i + 1] === '.') i++;
      // Digits are a negative index: push a copy of the value `index` places below the top (0 = the top).
      steps.push((_row, s) => s.push(s[s.length - 1 - index] ?? false));
    } else {
      throw new QueryError(`unknown query operation ${JSON.stringify(c)}`);
    }
  }
  return steps;
}

/** Compile `?...` words into a predicate over API rows. */
export function compileQuery(words: string[]): ((row: Row) => boolean) | undefined {
  if (words.length === 0) return undefined;
  const steps: Step[] = [];
  for (const w of words) {
    const body = w.slice(1);
    if (body.startsWith('#')) {
      steps.push(...opSteps(body.slice(1)));
      continue;
    }
    const first = body[0];
    if (first === '-') {
      const name = body.slice(1);
      steps.push((row, s) => s.push(!(name in row)));
      continue;
    }
    const mode = first === '<' || first === '>' ? first : '=';
    const rest = mode === '=' ? body : body.slice(1);
    const eq = rest.indexOf('=');
    if (eq < 0) {
      if (mode !== '=') throw new QueryError(`query word ${JSON.stringify(w)} needs a value`);
      steps.push((row, s) => s.push(rest in row));
      continue;
    }
    const name = rest.slice(0, eq);
    const value = rest.slice(eq + 1);
    if (mode === '=') steps.push((row, s) => s.push((row[name] ?? '') === value && (name in row || value === '')));
    else if (mode === '<') steps.push((row, s) => s.push(name in row && compare(row[name] as string, value) < 0));
    else steps.push((row, s) => s.push(name in row && compare(row[name] as string, value) > 0));
  }
  return (row) => {
    const stack: boolean[] = [];
    for (const step of steps) step(row, stack);
    return stack.every(Boolean);
  };
}
