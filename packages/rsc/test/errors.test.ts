import { describe, expect, it } from 'vitest';
import { ParseError, parseExport } from '../src/index.js';

function errorOf(text: string): ParseError {
  try {
    parseExport(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe('parse errors', () => {
  it('recognises a binary .backup file saved as .rsc', () => {
    const e = errorOf(`\x88\xAC\xA1\xB1${'\0'.repeat(8)}rest`);
    expect(e.message).toMatch(/binary RouterOS \.backup/);
    expect([e.line, e.column]).toEqual([1, 1]);
  });
  it('reports NUL bytes with their position', () => {
    const e = errorOf('/ip address\nadd a\0b\n');
    expect(e.reason).toMatch(/NUL/);
    expect([e.line, e.column]).toEqual([2, 6]);
  });
  it('rejects random text', () => {
    const e = errorOf('hello world\n');
    expect(e.reason).toMatch(/expected a menu path/);
    expect([e.line, e.column]).toEqual([1, 1]);
  });
  it('points at an unterminated quote in the original file, after continuations', () => {
    const e = errorOf('/ip address\nadd interface=ether1 \\\n    comment="oops\n');
    expect(e.reason).toBe('unterminated quoted string');
    expect([e.line, e.column]).toEqual([3, 13]);
  });
  it('rejects a continuation at the end of the file, also when only a lone CR follows it', () => {
    // Written back with its final newline, `:\<CR>` would become `:\<CR><LF>`: a continuation (found by fuzzing).
    expect(errorOf(':\\').reason).toMatch(/continuation/);
    const e = errorOf('/x\n:put 1 \\\r');
    expect(e.reason).toMatch(/continuation/);
    expect([e.line, e.column]).toEqual([2, 8]);
  });
  it('rejects invalid escapes, unbalanced brackets and braces', () => {
    expect(errorOf('/x\nadd a="\\q"\n').reason).toMatch(/invalid escape/);
    expect(errorOf('/x\nset [ find name=a x=1\n').reason).toMatch(/unterminated \[/);
    expect(errorOf(':if (1) do={\n:put 1\n').reason).toMatch(/unterminated \{/);
    expect(errorOf('/ip address address=1\n').reason).toMatch(/expected a command/);
    expect(errorOf('/x\nadd a="b"c\n').reason).toMatch(/expected a space/);
  });
  it('formats as file:line:column', () => {
    expect(errorOf('x').format('f.rsc')).toBe(
      'f.rsc:1:1: expected a menu path (/...), a command (add, set, remove, ...) or a comment, found "x"',
    );
  });
});
