import { classSize, findPatterns, type PatternKind, type PatternMatch } from './strength-patterns.js';

// Password strength for enrolment, our own small estimator (in the spirit of zxcvbn, much simpler): the password
// is covered by the cheapest mix of known patterns (common passwords, words, sequences, keyboard runs, repeats,
// years, parts of the user's email) and random characters, giving an estimate of the bits an attacker must guess.
//
// Policy (NIST SP 800-63B style): length matters most and there are no composition rules (no "must contain a
// digit"); we only refuse guessable passwords. `acceptable` = score ≥ 3 and at least 10 characters. Because TOD's
// sign-in also needs the 128-bit Secret Key, a stolen verifier cannot be attacked offline with the password alone,
// so the password mainly has to resist online guessing and someone holding the key: ~40 bits of estimated
// guessing work (three uncommon words, or 10 random lower-case letters) is the bar.

export interface PasswordStrength {
  score: 0 | 1 | 2 | 3 | 4;
  label: 'Very weak' | 'Weak' | 'Fair' | 'Strong' | 'Very strong';
  feedback: string[];
  acceptable: boolean;
  /** The estimate behind the score: log2 of the guesses needed. */
  bits: number;
}

export const MIN_LENGTH = 10;
const SCORE_BITS = [20, 30, 40, 56] as const; // below 20 bits → 0, below 30 → 1, …, 56 and above → 4
const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;
// Matching is quadratic in length, so long passwords are analysed in windows, up to ANALYSED characters.
const WINDOW = 96;
const ANALYSED = 1024;

const ADVICE: Record<PatternKind, string> = {
  common: 'Avoid common passwords and words like "password" or "welcome".',
  email: "Don't use your email address or parts of it.",
  repeat: 'Avoid repeated characters or parts, like aaaa or abcabc.',
  sequence: 'Avoid sequences like 1234 or abcd.',
  keyboard: 'Avoid keyboard patterns like qwerty or asdf.',
  year: 'Avoid years and dates; they are easy to guess.',
  word: '',
};

/** Total bits for the cheapest cover of `chars` by patterns and random characters (shortest path over positions). */
function cheapestCover(chars: string[], email: string | undefined, nested: boolean) {
  const cardinality = charsetSize(chars);
  const perChar = Math.log2(cardinality);
  const memo = new Map<string, number>();
  const chunkBits = (chunk: string[]) => {
    if (nested) return chunk.length * perChar;
    const key = chunk.join('');
    let bits = memo.get(key);
    if (bits === undefined) {
      bits = cheapestCover(chunk, email, true).bits;
      memo.set(key, bits);
    }
    return bits;
  };
  const matches = findPatterns(chars, email, chunkBits);
  const byEnd = new Map<number, PatternMatch[]>();
  for (const m of matches) byEnd.set(m.end, [...(byEnd.get(m.end) ?? []), m]);
  const best: number[] = [0];
  const via: (PatternMatch | null)[] = [null];
  for (let i = 1; i <= chars.length; i++) {
    best[i] = (best[i - 1] ?? 0) + perChar;
    via[i] = null;
    for (const m of byEnd.get(i) ?? []) {
      const cost = (best[m.start] ?? 0) + m.bits;
      if (cost < (best[i] ?? Number.POSITIVE_INFINITY)) {
        best[i] = cost;
        via[i] = m;
      }
    }
  }
  const used: PatternMatch[] = [];
  for (let i = chars.length; i > 0; ) {
    const m = via[i];
    if (m) used.push(m);
    i = m ? m.start : i - 1;
  }
  return { bits: best[chars.length] ?? 0, used };
}

/** The smallest p (up to 512) such that the text is one block of p characters repeated (abcabcab → 3), or 0 if none. */
function period(chars: readonly string[]): number {
  for (let p = 1; p <= Math.min(512, chars.length / 2); p++) {
    let i = p;
    while (i < chars.length && chars[i] === chars[i - p]) i++;
    if (i === chars.length) return p;
  }
  return 0;
}

/** Bits for the whole text: a repeated block is priced as the block plus the repeat count; else window by window. */
function estimate(chars: string[], email: string | undefined): { bits: number; used: PatternMatch[] } {
  const p = period(chars);
  if (p > 0) {
    const block = estimate(chars.slice(0, p), email);
    const repeat: PatternMatch = { kind: 'repeat', start: 0, end: chars.length, bits: 0 };
    return { bits: block.bits + Math.log2(chars.length / p) + 1, used: [...block.used, repeat] };
  }
  // Past ANALYSED characters the rest counts as random: such a password is strong whatever it holds.
  let bits = Math.max(0, chars.length - ANALYSED) * Math.log2(charsetSize(chars));
  const used: PatternMatch[] = [];
  for (let s = 0; s < Math.min(chars.length, ANALYSED); s += WINDOW) {
    const r = cheapestCover(chars.slice(s, s + WINDOW), email, false);
    bits += r.bits;
    used.push(...r.used);
  }
  return { bits, used };
}

function charsetSize(chars: readonly string[]): number {
  const classes = new Map<string, number>();
  for (const c of chars) {
    const size = classSize(c);
    classes.set(size === 26 ? (c === c.toLowerCase() ? 'lower' : 'upper') : String(size), size);
  }
  let total = 0;
  for (const s of classes.values()) total += s;
  return Math.max(total, 10);
}

export function passwordStrength(password: string, context: { email?: string } = {}): PasswordStrength {
  // The same normalisation as key derivation (docs/AUTH.md): NFKC, surrounding whitespace trimmed.
  const chars = [...password.normalize('NFKC').trim()];
  if (chars.length === 0) {
    return { score: 0, label: LABELS[0], feedback: ['Enter a password.'], acceptable: false, bits: 0 };
  }
  const { bits, used } = estimate(chars, context.email);
  const score = SCORE_BITS.filter((b) => bits >= b).length as PasswordStrength['score'];

  const feedback: string[] = [];
  const whole = used.length === 1 && used[0]?.kind === 'common' && used[0].end - used[0].start === chars.length;
  if (whole) feedback.push('This is one of the most common passwords.');
  for (const kind of new Set(used.map((m) => m.kind))) {
    if (ADVICE[kind] && !(whole && kind === 'common')) feedback.push(ADVICE[kind]);
  }
  if (used.some((m) => m.leet)) feedback.push('Swapping letters for look-alikes (p@ssw0rd) does not fool attackers.');
  if (chars.length < MIN_LENGTH) feedback.push(`Use at least ${MIN_LENGTH} characters.`);
  if (score < 3) {
    feedback.push(
      'Add a few more words: four or more unrelated words make a strong password that is easy to remember.',
    );
  }
  return { score, label: LABELS[score], feedback, acceptable: score >= 3 && chars.length >= MIN_LENGTH, bits };
}
