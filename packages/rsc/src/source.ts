// Turns raw export text into logical text: line continuations (`\` + newline + indentation) are removed, both
// between tokens and inside quoted strings, and CRLF becomes LF. Keeps a map back to original line/column so
// errors point at the file the user has.
import { ParseError } from './errors.js';

// RouterOS binary backup files start with these magic bytes (plain and encrypted variants).
const BACKUP_MAGICS = ['\x88\xAC\xA1\xB1', '\xEF\xA8\x91\x72'];

export class SourceText {
  /** The joined text. */
  readonly text: string;
  /** Pairs of (logical offset, original offset): each segment of `text` starts at the given original offset. */
  private readonly segLogical: number[] = [];
  private readonly segOriginal: number[] = [];
  /** Offsets in the original text where each line starts. */
  private readonly lineStarts: number[] = [0];

  constructor(original: string) {
    checkIsText(original);
    for (let i = original.indexOf('\n'); i >= 0; i = original.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    let out = '';
    let from = 0;
    let i = original.indexOf('\\');
    while (i >= 0) {
      const next = original[i + 1];
      if (next === '\n' || (next === '\r' && original[i + 2] === '\n')) {
        this.addSegment(out.length, from);
        out += original.slice(from, i);
        let j = i + (next === '\n' ? 2 : 3);
        while (original[j] === ' ' || original[j] === '\t') j++;
        from = j;
        i = original.indexOf('\\', j);
      } else if (i === original.length - 1 || (next === '\r' && i + 2 === original.length)) {
        // Nothing (or only the CR of a line end cut short) follows: once written back with a final newline it
        // would become a continuation.
        const { line, column } = positionOf(this.lineStarts, i);
        throw new ParseError('line continuation (\\) at end of file', line, column);
      } else {
        // An escape pair (`\\`, `\"`, ...): the second char can never start a continuation.
        i = original.indexOf('\\', i + 2);
      }
    }
    this.addSegment(out.length, from);
    out += original.slice(from);
    // CR of CRLF line ends stays in the text; the parser treats it as whitespace.
    this.text = out;
  }

  private addSegment(logical: number, original: number): void {
    const n = this.segLogical.length;
    if (n > 0 && this.segLogical[n - 1] === logical) {
      this.segOriginal[n - 1] = original;
      return;
    }
    this.segLogical.push(logical);
    this.segOriginal.push(original);
  }

  /** Original offset of a logical offset. */
  originalOffset(logical: number): number {
    let lo = 0;
    let hi = this.segLogical.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segLogical[mid] ?? 0) <= logical) lo = mid;
      else hi = mid - 1;
    }
    return (this.segOriginal[lo] ?? 0) + logical - (this.segLogical[lo] ?? 0);
  }

  /** 1-based line and column of a logical offset, in the original text. */
  position(logical: number): { line: number; column: number } {
    return positionOf(this.lineStarts, this.originalOffset(logical));
  }

  error(reason: string, logical: number): ParseError {
    const { line, column } = this.position(logical);
    return new ParseError(reason, line, column);
  }
}

function positionOf(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}

/** Rejects binary data early with a message that says what it probably is. */
function checkIsText(original: string): void {
  for (const magic of BACKUP_MAGICS) {
    if (original.startsWith(magic)) {
      throw new ParseError(
        'this is a binary RouterOS .backup file, not /export text (use /export to get a .rsc)',
        1,
        1,
      );
    }
  }
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(original);
  if (bad) {
    const lineStarts = [0];
    for (let i = original.indexOf('\n'); i >= 0 && i < bad.index; i = original.indexOf('\n', i + 1))
      lineStarts.push(i + 1);
    const { line, column } = positionOf(lineStarts, bad.index);
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    const what = code === '00' ? 'NUL byte' : `control character 0x${code}`;
    throw new ParseError(`binary data (${what}): not RouterOS export text`, line, column);
  }
}
