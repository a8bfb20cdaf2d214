import { queryWords } from '@tod/routeros';
import { formatValue } from '@tod/rsc';
import { compileQuery } from '@tod/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Condition, conditionText } from '../../src/features/bulk-commands/expr.js';
import { parseCommands } from '../../src/features/bulk-commands/parse.js';
import { planBulkCommands } from '../../src/features/bulk-commands/plan.js';
import { toQuery } from '../../src/features/bulk-commands/translate.js';
import { KNOWN_VERBS } from '../../src/features/bulk-commands/verbs.js';

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'where']);
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/).filter((n) => !KEYWORDS.has(n));
/** Any text RouterOS can hold: control characters, quotes, backslashes, `$`, bytes ≥ 0x80, some non-Latin. */
const value = fc.string({ unit: fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const simpleValue = fc.oneof(value, fc.constantFrom('', 'yes', 'no', 'ether1', '10.0.0.1/24', '1500', 'and', 'a b'));

const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      op: fc.constantFrom('eq' as const, 'ne' as const, 'lt' as const, 'gt' as const, 'le' as const, 'ge' as const),
      name,
      value: simpleValue,
    }),
    fc.record({ op: fc.constant('flag' as const), name }),
    fc.record({ op: fc.constant('not' as const), item: tie('c') }),
    fc
      .record({
        op: fc.constantFrom('and' as const, 'or' as const),
        items: fc.array(tie('c'), { minLength: 2, maxLength: 3 }),
      })
      // The parser's canonical form: `(a and b) and c` is one and of three.
      .filter((g) => g.items.every((i) => i.op !== g.op)),
  ),
})).c;

describe('conditions', () => {
  it('parse back to the same tree from the text they print as', () => {
    fc.assert(
      fc.property(condition, (c) => {
        const text = `/ip address print where ${conditionText(c)}`;
        const r = parseCommands(text);
        expect(r.errors).toEqual([]);
        expect(r.commands[0]?.where).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  // RouterOS truth for one row, written plainly; the API query TOD sends must select the same rows (checked with
  // the simulator's implementation of the documented query stack).
  const holds = (c: Condition, row: Record<string, string>): boolean => {
    const eq = (n: string, v: string) => {
      const have = row[n];
      if (have === undefined) return v === '';
      return have === v || (have === 'true' && v === 'yes') || (have === 'false' && v === 'no');
    };
    const cmp = (n: string, v: string) => {
      const have = row[n];
      if (have === undefined) return undefined;
      const [a, b] = [Number(have), Number(v)];
      if (have !== '' && v !== '' && Number.isFinite(a) && Number.isFinite(b)) return a - b;
      return have < v ? -1 : have > v ? 1 : 0;
    };
    switch (c.op) {
      case 'eq':
        return eq(c.name, c.value);
      case 'ne':
        return !eq(c.name, c.value);
      case 'lt':
        return (cmp(c.name, c.value) ?? 0) < 0;
      case 'gt':
        return (cmp(c.name, c.value) ?? 0) > 0;
      case 'le':
        return (cmp(c.name, c.value) ?? 1) < 0 || eq(c.name, c.value);
      case 'ge':
        return (cmp(c.name, c.value) ?? -1) > 0 || eq(c.name, c.value);
      case 'flag':
        return eq(c.name, 'yes');
      case 'not':
        return !holds(c.item, row);
      case 'and':
        return c.items.every((i) => holds(i, row));
      case 'or':
        return c.items.some((i) => holds(i, row));
    }
  };

  it('become API queries that select exactly the rows the condition holds for', () => {
    const names = ['a', 'b', 'mtu'];
    const small = fc.constantFrom('', 'yes', 'no', 'true', 'false', '1', '2', '10', 'x');
    const cond: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small' },
        fc.record({
          op: fc.constantFrom('eq' as const, 'ne' as const, 'lt' as const, 'gt' as const, 'le' as const, 'ge' as const),
          name: fc.constantFrom(...names),
          value: small,
        }),
        fc.record({ op: fc.constant('flag' as const), name: fc.constantFrom(...names) }),
        fc.record({ op: fc.constant('not' as const), item: tie('c') }),
        fc.record({
          op: fc.constantFrom('and' as const, 'or' as const),
          items: fc.array(tie('c'), { minLength: 2, maxLength: 3 }),
        }),
      ),
    })).c;
    const row = fc.dictionary(fc.constantFrom(...names), small, { maxKeys: 3 });
    fc.assert(
      fc.property(cond, fc.array(row, { minLength: 1, maxLength: 6 }), (c, rows) => {
        const match = compileQuery(queryWords(toQuery(c))) ?? (() => true);
        expect(rows.map((r) => match(r))).toEqual(rows.map((r) => holds(c, r)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('commands', () => {
  const segment = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/).filter((s) => !KNOWN_VERBS.has(s));
  const props = fc.uniqueArray(fc.tuple(name, value, fc.boolean()), { maxLength: 4, selector: ([n]) => n });
  const eqs = fc.uniqueArray(fc.tuple(name, simpleValue), { maxLength: 3, selector: ([n]) => n });

  /** Continuations at random places, as an editor that wraps lines would add them (never inside an escape). */
  const wrap = (text: string, cuts: number[]) => {
    let out = '';
    let last = 0;
    for (const at of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
      if (at === 0 || text[at - 1] === '\\' || text[at] === ' ' || text[at] === '\t' || at >= text.length) continue;
      out += `${text.slice(last, at)}\\\n    `;
      last = at;
    }
    return out + text.slice(last);
  };

  it('read back what was written: menu, selector, values with any quoting, with continuations anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        eqs,
        props,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        (segs, where, args, cuts, crlf) => {
          const find =
            where.length === 0
              ? '[ find ]'
              : `[ find ${where.map(([n, v]) => conditionText({ op: 'eq', name: n, value: v })).join(' ')} ]`;
          const argText = args.map(([n, v, quoted]) => `${n}=${formatValue(v, quoted ? 'keep-quoted' : 'canonical')}`);
          const line = [`/${segs.join(' ')}`, 'set', find, ...argText].join(' ');
          // A canonical bare `*1A` would be read as an id and refused: RouterOS would read it so too.
          fc.pre(!args.some(([, v, quoted]) => !quoted && /^\*[0-9A-Fa-f]+$/.test(v)));
          const text = `# generated\n${wrap(line, cuts)}\n`.replaceAll('\n', crlf ? '\r\n' : '\n');
          const r = parseCommands(text);
          expect(r.errors).toEqual([]);
          const [c] = r.commands;
          expect(c?.line).toBe(2);
          expect(c?.path).toBe(`/${segs.join('/')}`);
          expect(c?.raw).toBe(line);
          expect(c?.args.map((a) => [a.name, a.value])).toEqual(args.map(([n, v]) => [n, v]));
          const expected: Condition | undefined =
            where.length === 0
              ? undefined
              : where.length === 1
                ? { op: 'eq', name: where[0]?.[0] as string, value: where[0]?.[1] as string }
                : { op: 'and', items: where.map(([n, v]) => ({ op: 'eq' as const, name: n, value: v })) };
          expect(c?.selector).toMatchObject({ kind: 'find' });
          expect(c?.selector?.kind === 'find' ? c.selector.condition : null).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throw on arbitrary text: every problem is an issue with a position', () => {
    const noise = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .array(
          fc.constantFrom(
            '/ip',
            'address',
            'print',
            'where',
            'set',
            '[',
            ']',
            'find',
            '"',
            '\\',
            '\n',
            ' ',
            'a=b',
            '(',
            ')',
            '!',
            ':put',
            '{',
            '}',
            '..',
            'x~y',
            '$v',
            '0',
          ),
          { maxLength: 20 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(noise, (text) => {
        const plan = planBulkCommands(text);
        for (const e of plan.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.column).toBeGreaterThanOrEqual(1);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
