import { COMMON_PASSWORDS } from './common-passwords.js';

// Pattern matchers for the password strength estimate. Each match says "these characters are guessable in about
// `bits` bits" — far fewer than the same characters typed at random. strength.ts picks the cheapest cover.

export type PatternKind = 'common' | 'email' | 'repeat' | 'sequence' | 'keyboard' | 'year' | 'word';
export interface PatternMatch {
  kind: PatternKind;
  start: number; // code-point index, inclusive
  end: number; // exclusive
  bits: number;
  leet?: boolean;
}

const RANK = new Map(COMMON_PASSWORDS.map((w, i) => [w, i] as const));
const LONGEST_COMMON = Math.max(...COMMON_PASSWORDS.map((w) => w.length));
const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '3': 'e',
  '5': 's',
  $: 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '!': 'i',
  '|': 'l',
};
const KEYBOARD_ROWS = [
  '`1234567890-=',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
  '~!@#$%^&*()_+',
  'qwertzuiop',
  'azertyuiop',
  'yxcvbnm',
  'qsdfghjklm',
  'wxcvbn',
];
const log2 = Math.log2;

/** How many characters a guesser must try per position for this character's class. */
export function classSize(ch: string): number {
  if (/[a-z]/.test(ch) || /[A-Z]/.test(ch)) return 26;
  if (/[0-9]/.test(ch)) return 10;
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return 33;
  return 100;
}

/**
 * Extra bits for capitals in a word: "Password" and "PASSWORD" add one bit; otherwise the guesser tries every way
 * to place that many capitals (the smaller of upper and lower counts) among the letters, as zxcvbn does.
 */
function caseBits(chars: readonly string[]): number {
  const uppers = chars.filter((c) => c !== c.toLowerCase()).length;
  if (uppers === 0) return 0;
  if (uppers === chars.length || (uppers === 1 && chars[0] !== chars[0]?.toLowerCase())) return 1;
  const n = chars.length;
  let ways = 0;
  let choose = 1; // C(n, k), built up k by k
  for (let k = 0; k <= Math.min(uppers, n - uppers); k++) {
    ways += choose;
    choose = (choose * (n - k)) / (k + 1);
  }
  return log2(ways);
}

function commonMatches(chars: readonly string[], lower: readonly string[], out: PatternMatch[]) {
  for (let i = 0; i < lower.length; i++) {
    for (let j = i + 3; j <= Math.min(lower.length, i + LONGEST_COMMON); j++) {
      const sub = lower.slice(i, j);
      const plain = sub.join('');
      const reversed = [...sub].reverse().join('');
      // [text to look up, was leet undone, was reversed]
      const candidates: [string, boolean, boolean][] = [
        [plain, false, false],
        [sub.map((c) => LEET[c] ?? c).join(''), true, false],
        [sub.map((c) => (c === '1' ? 'l' : (LEET[c] ?? c))).join(''), true, false],
        [sub.map((c) => (c === '1' ? 'i' : (LEET[c] ?? c))).join(''), true, false],
        [reversed, false, true],
      ];
      for (const [word, leet, rev] of candidates) {
        const rank = RANK.get(word);
        if (rank === undefined || (leet && word === plain)) continue;
        const bits = 1 + log2(rank + 1) + (leet ? 1 : 0) + (rev ? 1 : 0) + caseBits(chars.slice(i, j));
        out.push({ kind: 'common', start: i, end: j, bits, leet });
        break;
      }
    }
  }
}

function emailMatches(lower: readonly string[], email: string | undefined, out: PatternMatch[]) {
  const e = email?.trim().toLowerCase() ?? '';
  const at = e.lastIndexOf('@');
  if (at < 1) return;
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  const parts = new Set([local, domain, ...local.split(/[._+-]/), ...domain.split('.').slice(0, -1)]);
  const text = lower.join('');
  for (const part of parts) {
    if ([...part].length < 3) continue;
    for (let from = text.indexOf(part); from >= 0; from = text.indexOf(part, from + 1)) {
      // indexOf counts UTF-16 units; convert to code points.
      const start = [...text.slice(0, from)].length;
      out.push({ kind: 'email', start, end: start + [...part].length, bits: 2 });
    }
  }
}

function runMatches(chars: readonly string[], lower: readonly string[], out: PatternMatch[]) {
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    // aaaa: one character repeated.
    let j = i + 1;
    while (j < n && chars[j] === chars[i]) j++;
    if (j - i >= 3)
      out.push({ kind: 'repeat', start: i, end: j, bits: log2(classSize(chars[i] ?? 'a')) + log2(j - i) });
    // abcd, 1234, 9876: constant step of one within letters or digits.
    for (const step of [1, -1]) {
      let k = i + 1;
      while (k < n && sameClass(lower[k], lower[i]) && cp(lower[k]) - cp(lower[k - 1]) === step) k++;
      for (let end = i + 3; end <= k; end++) {
        const first = lower[i] ?? '';
        const obvious = 'a01z9'.includes(first);
        const bits = (obvious ? 1 : log2(classSize(first))) + log2(end - i) + (step < 0 ? 1 : 0);
        out.push({ kind: 'sequence', start: i, end, bits });
      }
    }
    // qwerty, asdf: runs along a keyboard row, either direction.
    for (let end = i + 4; end <= Math.min(n, i + 13); end++) {
      const sub = lower.slice(i, end).join('');
      const rev = [...sub].reverse().join('');
      const fwd = KEYBOARD_ROWS.some((r) => r.includes(sub));
      if (fwd || KEYBOARD_ROWS.some((r) => r.includes(rev))) {
        out.push({ kind: 'keyboard', start: i, end, bits: log2(40) + log2(end - i) + (fwd ? 0 : 1) });
      }
    }
    // 1987, 2024: years are a handful of guesses.
    const four = lower.slice(i, i + 4).join('');
    if (/^(19|20)\d\d$/.test(four)) out.push({ kind: 'year', start: i, end: i + 4, bits: log2(200) });
  }
}

function repeatedChunks(chars: readonly string[], out: PatternMatch[], chunkBits: (c: string[]) => number) {
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    for (let len = 2; len <= Math.min(32, (n - i) / 2); len++) {
      // Count how many whole copies of chars[i, i+len) follow one another.
      let same = 0;
      while (i + len + same < n && chars[i + len + same] === chars[i + (same % len)]) same++;
      const k = 1 + Math.floor(same / len);
      if (k >= 2) {
        out.push({
          kind: 'repeat',
          start: i,
          end: i + k * len,
          bits: chunkBits(chars.slice(i, i + len)) + log2(k) + 1,
        });
      }
    }
  }
}

// "Word-like": letters with a natural share of vowels, no long consonant clusters and few consonant pairs that
// English words do not have (one per word at most, for the joins of words run together). Such runs are charged as
// dictionary words (~50 000 candidates per 6 letters) rather than as random letters. Without the
// pair check, one random 16-letter string in a hundred passed for two words.
const WORD_BITS = log2(50_000);
const CONSONANT_PAIRS = new Set(
  (
    'bb bl br bs ch ck cl cr ct dd dg dl dr ds ff fl fr ft gg gh gl gn gr gs kl kn ks lb lc ld lf lk ll lm ln lp ' +
    'ls lt lv mb mm mn mp ms nc nd nf ng nk nl nn ns nt nv nz ph pl pp pr ps pt rb rc rd rf rg rk rl rm rn rp rr ' +
    'rs rt rv sc sh sk sl sm sn sp ss st sw th tl tr ts tt tw wh wl wn wr ws xt'
  ).split(' '),
);
const VOWEL = /[aeiouy]/;
function oddPairs(word: string): number {
  let odd = 0;
  for (let i = 1; i < word.length; i++) {
    const a = word[i - 1] ?? '';
    const b = word[i] ?? '';
    if ((a === 'q' && b !== 'u') || (!VOWEL.test(a) && !VOWEL.test(b) && !CONSONANT_PAIRS.has(a + b))) odd++;
  }
  return odd;
}
function wordMatches(chars: readonly string[], lower: readonly string[], out: PatternMatch[]) {
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    for (let end = i + 4; end <= Math.min(n, i + 40); end++) {
      const sub = lower.slice(i, end).join('');
      if (!/^[a-z]+$/.test(sub)) break;
      const vowels = (sub.match(/[aeiouy]/g) ?? []).length / sub.length;
      if (vowels < 0.2 || vowels > 0.7 || /[^aeiouy]{4}/.test(sub)) continue;
      // Priced by length (a word per 6 letters, fractions counted), so no split of random letters into "words" is
      // cheaper than a word's worth of letters.
      const words = Math.max(1, sub.length / 6);
      if (oddPairs(sub) > Math.floor(words) - 1 + (sub.length >= 9 ? 1 : 0)) continue;
      out.push({ kind: 'word', start: i, end, bits: words * WORD_BITS + caseBits(chars.slice(i, end)) });
    }
  }
}

function sameClass(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return (/[a-z]/.test(a) && /[a-z]/.test(b)) || (/[0-9]/.test(a) && /[0-9]/.test(b));
}
const cp = (c: string | undefined) => c?.codePointAt(0) ?? -99;

/** Every pattern found in `chars` (code points). `chunkBits` prices one chunk of a repeated block like abcabc. */
export function findPatterns(
  chars: readonly string[],
  email: string | undefined,
  chunkBits: (c: string[]) => number,
): PatternMatch[] {
  // Lower-case per code point; a character whose lower case is longer (İ) stays as it is, keeping indexes aligned.
  const lower = chars.map((c) => {
    const l = c.toLowerCase();
    return [...l].length === 1 ? l : c;
  });
  const out: PatternMatch[] = [];
  commonMatches(chars, lower, out);
  emailMatches(lower, email, out);
  runMatches(chars, lower, out);
  repeatedChunks(chars, out, chunkBits);
  wordMatches(chars, lower, out);
  return out;
}
