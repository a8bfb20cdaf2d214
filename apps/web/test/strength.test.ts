import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passwordStrength } from '../src/features/emergency-kit/strength';

const email = 'jane.doe@acme-networks.com';

// [password, lowest allowed score, highest allowed score, acceptable?]
const table: [string, number, number, boolean][] = [
  ['', 0, 0, false],
  ['password', 0, 0, false],
  ['P@ssw0rd', 0, 1, false],
  ['Password123!', 0, 1, false],
  ['123456789', 0, 0, false],
  ['qwertyuiop', 0, 1, false],
  ['iloveyou', 0, 0, false],
  ['letmein2024', 0, 1, false],
  ['Summer2024!', 0, 1, false],
  ['aaaaaaaaaaaaaaaa', 0, 1, false],
  ['abcdefghijklmnop', 0, 1, false],
  ['zyxwvutsrqponm', 0, 1, false],
  ['asdfghjkl;', 0, 1, false],
  ['hellohellohello', 0, 1, false],
  ['mikrotik-admin', 0, 2, false],
  ['correct horse battery staple', 3, 4, true],
  ['correct-horse-battery-staple', 3, 4, true],
  ['correcthorsebatterystaple', 3, 4, true],
  ['violet tractor gentle lagoon', 3, 4, true],
  ['Gx7#pQ2!vL9@wZ4$kM8&', 4, 4, true],
  ['q8v2k9x4m7z3w6p1', 3, 4, true],
  ['xK9#mQ2$', 3, 4, false], // strong characters, but shorter than 10
  ['ñandú-corazón-montaña-río', 3, 4, true],
  ['красный-трактор-озеро', 3, 4, true],
  ['🐙🌵🚲🎺🧀🦜🪁🛶🧭🍄', 3, 4, true],
];

describe('passwordStrength', () => {
  it.each(table)('%j scores %i–%i (acceptable: %s)', (password, lo, hi, acceptable) => {
    const r = passwordStrength(password, { email });
    expect(r.score).toBeGreaterThanOrEqual(lo);
    expect(r.score).toBeLessThanOrEqual(hi);
    expect(r.acceptable).toBe(acceptable);
    expect(r.label).toBe(['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'][r.score]);
    if (!acceptable) expect(r.feedback.length).toBeGreaterThan(0);
  });

  it('penalises the email address or its parts inside the password', () => {
    const base = 'tundra-velvet-';
    const without = passwordStrength(`${base}kiosk`, { email });
    const withLocal = passwordStrength(`${base}jane.doe`, { email });
    const withDomain = passwordStrength(`${base}acme-networks`, { email });
    expect(passwordStrength('jane.doe@acme-networks.com', { email }).score).toBe(0);
    expect(passwordStrength('JaneDoe-Acme', { email }).acceptable).toBe(false);
    expect(withLocal.bits).toBeLessThan(without.bits);
    expect(withDomain.bits).toBeLessThan(passwordStrength(`${base}quilt-harbour`, { email }).bits);
    expect(withLocal.feedback).toContain("Don't use your email address or parts of it.");
    // Without the context the same text is not penalised as an email part.
    expect(passwordStrength(`${base}jane.doe`).feedback).not.toContain("Don't use your email address or parts of it.");
  });

  it('gives plain-English feedback naming the weakness', () => {
    expect(passwordStrength('password').feedback).toContain('This is one of the most common passwords.');
    expect(passwordStrength('p@ssw0rd').feedback.join(' ')).toMatch(/look-alikes/);
    expect(passwordStrength('zebra1234567').feedback).toContain('Avoid sequences like 1234 or abcd.');
    expect(passwordStrength('wertyuiop[]').feedback).toContain('Avoid keyboard patterns like qwerty or asdf.');
    expect(passwordStrength('ok').feedback).toContain('Use at least 10 characters.');
    expect(passwordStrength('strawberry').feedback.join(' ')).toMatch(/Add a few more words/);
    expect(passwordStrength('correct horse battery staple').feedback).toEqual([]);
  });

  it('adding an unrelated word never lowers the estimate; length matters more than symbols', () => {
    expect(passwordStrength('tundra velvet kiosk marble').bits).toBeGreaterThan(
      passwordStrength('tundra velvet kiosk').bits,
    );
    expect(passwordStrength('tundra velvet kiosk marble').score).toBeGreaterThanOrEqual(
      passwordStrength('Tundra#1').score,
    );
  });

  it('treats surrounding whitespace and NFKC forms like key derivation does', () => {
    expect(passwordStrength('  password  ').score).toBe(0);
    expect(passwordStrength('ｐａｓｓｗｏｒｄ').score).toBe(0); // full-width letters normalise to "password"
  });

  it('judges very long inputs quickly and still sees repetition', () => {
    expect(passwordStrength('a'.repeat(5000)).acceptable).toBe(false);
    expect(passwordStrength('abc'.repeat(2000)).acceptable).toBe(false);
    const long = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 94))).join('');
    expect(passwordStrength(long).score).toBe(4);
  });

  it('random letters are not mistaken for words (draws that once scored Fair)', () => {
    for (const p of [
      'SgMUETafpVtcafux',
      'doiAEOKiDzUfLgor',
      'hiwuasotrmkonsli',
      'lomzdnyiaazaoujn',
      'abbydgtylldzbimu',
    ]) {
      expect(passwordStrength(p).acceptable, p).toBe(true);
    }
  });

  it('random strings of 16+ characters from a 62-character alphabet are acceptable', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 61 }), { minLength: 16, maxLength: 40 }), (idx) => {
        const p = idx.map((i) => alphabet[i]).join('');
        // Skip the rare draws that really are patterned (e.g. many repeats); they may score lower, correctly.
        fc.pre(new Set(p).size >= 10);
        expect(passwordStrength(p).acceptable).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws and always returns a score 0–4 for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.option(fc.emailAddress(), { nil: undefined }),
        (p, e) => {
          const r = passwordStrength(p, { email: e });
          expect([0, 1, 2, 3, 4]).toContain(r.score);
          expect(Number.isFinite(r.bits)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
