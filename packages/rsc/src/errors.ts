/** Thrown for any text that is not a valid RouterOS export/script. `line`/`column` are 1-based. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly line: number;
  readonly column: number;
  /** The message without the position prefix. */
  readonly reason: string;

  constructor(reason: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  /** `file:line:column: reason`, the form compilers use, for CLI output. */
  format(file: string): string {
    return `${file}:${this.line}:${this.column}: ${this.reason}`;
  }
}
