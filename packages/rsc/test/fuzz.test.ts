// The parser must either parse or throw ParseError — never hang, never throw anything else — and whatever it
// accepts must survive serialise → parse unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../fixtures/index.js';
import { type ExportDocument, ParseError, parseExport, serializeExport } from '../src/index.js';

function tree(doc: ExportDocument): unknown {
  return JSON.parse(JSON.stringify(doc, (k, v) => (k === 'line' || k === 'style' ? undefined : v)));
}

function check(text: string): void {
  let doc: ExportDocument;
  try {
    doc = parseExport(text);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    return;
  }
  for (const style of ['compact', 'terse'] as const) {
    expect(tree(parseExport(serializeExport(doc, { style })))).toEqual(tree(doc));
  }
}

// Characters that matter to the grammar, so random strings hit interesting paths often.
const alphabet = fc.constantFrom(
  ...'/abcdeflnrstx0129 =[]{}"\\\n\r\t#:.$?!,_-'.split(''),
  '\0',
  '\x88',
  'add ',
  'set ',
  'find ',
  '\\\n    ',
);
// RSC_FUZZ_SCALE=20 for a long soak; the default keeps the suite fast.
const scale = Number(process.env.RSC_FUZZ_SCALE ?? 1);
const fixtures = exportFiles().map((f) => readExport(f).slice(0, 6000));

describe('fuzz', () => {
  it('random grammar-ish strings', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 120 }), (chars) => check(chars.join(''))),
      { numRuns: 1500 * scale },
    );
  });

  it('random unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 500 * scale });
  });

  it('random mutations of fixtures', () => {
    const mutation = fc.record({
      file: fc.nat(fixtures.length - 1),
      edits: fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.array(alphabet, { maxLength: 4 })), {
        minLength: 1,
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(mutation, ({ file, edits }) => {
        let text = fixtures[file] as string;
        for (const [at, del, ins] of edits) {
          const p = at % (text.length + 1);
          text = text.slice(0, p) + ins.join('') + text.slice(p + del);
        }
        check(text);
      }),
      { numRuns: 300 * scale },
    );
  });

  it('a large pathological input finishes quickly (no quadratic blow-up)', () => {
    const big = `/x\nadd a="${'\\"'.repeat(200_000)}`;
    const started = Date.now();
    expect(() => parseExport(big)).toThrow(ParseError);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
