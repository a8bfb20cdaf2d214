// The RouterOS console's words, shared by the SSH exec CLI (ssh-cli.ts) and the interactive shell (shell.ts): a line
// split into words (quotes and `[ ... ]` keep blanks inside one word), the menu it names — absolute (`/ip address`),
// relative to the current menu (`address` from `/ip`), `..` (up one), `/` (the root), v7's `/ip/address` (v6 reads
// menu paths with blanks only: `/ip/address` is one unknown word there) — and the command word after it. Columns are
// 1-based, as RouterOS counts them. Console text is bytes: what the terminal sends is kept byte for byte (UTF-8 stays
// UTF-8, as RouterOS stores it), decoded and encoded as Windows-1252 like the simulator's API (session.ts).
import { decodeWord, encodeText } from '@tod/routeros';
import { unescapeQuoted } from '@tod/rsc';
import type { Device } from './device.js';
import { knownMenus } from './menus.js';

export interface Token {
  text: string;
  col: number;
}

/** A mistake in the command line, printed as RouterOS words it (`bad command name x (line 1 column 2)`). */
export class CliError extends Error {}

export const at = (lineNo: number, col: number) => `(line ${lineNo} column ${col})`;

// Only these separate words: console text holds bytes as Windows-1252 characters, and a UTF-8 continuation byte
// 0xA0 reads as a no-break space, which JavaScript's `\s` would take for a blank.
const BLANK = /[ \t\r\n]/;

/** Words separated by blanks; quotes and `[ ... ]` keep blanks inside one word. */
export function tokenize(line: string, lineNo: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    if (BLANK.test(line[i] as string)) {
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i] as string;
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth === 0 && BLANK.test(c)) break;
    }
    if (quoted || depth !== 0) throw new CliError(`syntax error ${at(lineNo, start + 1)}`);
    out.push({ text: line.slice(start, i), col: start + 1 });
  }
  return out;
}

/** `text` without blanks around it (not JavaScript's trim: see BLANK). */
export function trimBlanks(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

export function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? unescapeQuoted(value.slice(1, -1)) : value;
}

const known = { v6: knownMenus(false), v7: knownMenus(true) };

/** Whether `path` is a menu of the device (or a directory of menus, such as `/ip`); `extra` adds CLI-only menus. */
export function isMenu(device: Device, path: string, extra: Iterable<string> = []): boolean {
  if (path === '') return true;
  const menus = device.behaviour.v7 ? known.v7 : known.v6;
  if (menus.has(path) || device.store.menus.has(path)) return true;
  const prefix = `${path}/`;
  for (const m of menus) if (m.startsWith(prefix)) return true;
  for (const m of device.store.menus.keys()) if (m.startsWith(prefix)) return true;
  for (const m of extra) if (m === path || m.startsWith(prefix)) return true;
  return false;
}

export interface CommandLine {
  /** The menu the command runs in (or the one to move to). */
  path: string;
  /** The command word (`print`); undefined when the line only names a menu. */
  verb: Token | undefined;
  /** The words after the command. */
  args: Token[];
}

/**
 * Splits `line` into menu path, command and arguments, starting from menu `cwd`. A word that is not a menu is the
 * command (whether the menu has it is for the caller to say); a word with `=`, `[` or `"` before any command is
 * `expected command name`.
 */
export function parseCommand(
  device: Device,
  line: string,
  lineNo: number,
  cwd: string,
  extra: Iterable<string> = [],
): CommandLine {
  const v7 = device.behaviour.v7;
  const tokens = tokenize(line, lineNo);
  let path = cwd;
  let verb: Token | undefined;
  let n = 0;
  for (; n < tokens.length && verb === undefined; n++) {
    const t = tokens[n] as Token;
    let word = t.text;
    let col = t.col;
    if (word.startsWith('/')) {
      path = '';
      word = word.slice(1);
      col++;
    }
    if (word === '') continue;
    if (/[="[]/.test(word)) break;
    const segments = v7 ? word.split('/') : [word];
    for (const seg of segments) {
      if (verb !== undefined) throw new CliError(`expected end of command ${at(lineNo, col)}`);
      if (seg === '..') path = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      else if (seg !== '' && !seg.includes('/') && isMenu(device, `${path}/${seg}`, extra)) path = `${path}/${seg}`;
      else if (seg !== '') verb = { text: seg, col };
      col += seg.length + 1;
    }
  }
  if (verb === undefined && n < tokens.length)
    throw new CliError(`expected command name ${at(lineNo, (tokens[n] as Token).col)}`);
  return { path, verb, args: tokens.slice(n) };
}

/** Console text as the bytes the terminal gets (Windows-1252, as the API sends it; `?` for what it cannot hold). */
export function consoleBytes(text: string): Buffer {
  try {
    return encodeText(text, 'win1252');
  } catch {
    return Buffer.from(
      [...text].map((c) => {
        try {
          return encodeText(c, 'win1252')[0] as number;
        } catch {
          return 0x3f;
        }
      }),
    );
  }
}

/** The bytes of a typed line as console text. */
export function consoleText(bytes: Buffer): string {
  return decodeWord(bytes, 'win1252');
}
