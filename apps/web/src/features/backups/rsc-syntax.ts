// RouterOS export syntax, one line at a time, for highlighting: menu paths, verbs, property names and values,
// quoted strings, comments. Lines are shown on their own (a diff's hunks, a search's matches), so the tokenizer
// knows no context beyond the line, and anything it does not recognise is plain text: never an error.

export type TokenKind = 'comment' | 'path' | 'verb' | 'name' | 'value' | 'string' | 'punct' | 'text';
export type Token = { kind: TokenKind; text: string };

/** Commands that appear in exports and scripts (`add`, `set`, `remove`…), and `find` inside `[ … ]`. */
const VERBS = new Set([
  'add',
  'set',
  'remove',
  'unset',
  'enable',
  'disable',
  'move',
  'reset',
  'comment',
  'edit',
  'find',
  'print',
  'export',
  'import',
]);
const NAME = /^[!A-Za-z0-9._-]+$/;

export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = out.at(-1);
    if (last && last.kind === kind && (kind === 'text' || kind === 'path')) last.text += text;
    else out.push({ kind, text });
  };
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  if (lead) push('text', lead);
  if (line.slice(lead.length).startsWith('#')) {
    push('comment', line.slice(lead.length));
    return out;
  }
  let i = lead.length;
  /** Still in the menu path (`/ip firewall filter`) that starts a line. */
  let inPath = line[i] === '/';
  /** The next word is where a command's verb goes (after the path, or at the start of a compact line). */
  let verbSlot = true;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      const start = i;
      while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
      push(inPath ? 'path' : 'text', line.slice(start, i));
      continue;
    }
    if (c === '"') {
      const start = i;
      i = quoted(line, i);
      push('string', line.slice(start, i));
      inPath = false;
      verbSlot = false;
      continue;
    }
    if (c === '[' || c === ']' || c === ';' || (c === '\\' && i === line.length - 1)) {
      push('punct', c);
      i++;
      verbSlot = c === '[' || c === ';';
      inPath = false;
      continue;
    }
    const start = i;
    while (i < line.length && !' \t"[];'.includes(line[i] as string) && line[i] !== '=') i++;
    const word = line.slice(start, i);
    if (line[i] === '=' && NAME.test(word)) {
      inPath = false;
      verbSlot = false;
      push('name', word);
      push('punct', '=');
      i++;
      if (line[i] === '"') {
        const end = quoted(line, i);
        push('string', line.slice(i, end));
        i = end;
      } else {
        const vs = i;
        while (i < line.length && line[i] !== ' ' && line[i] !== '\t' && line[i] !== ']') i++;
        if (i > vs) push('value', line.slice(vs, i));
      }
      continue;
    }
    if (word === '' && line[i] === '=') {
      push('text', '=');
      i++;
      continue;
    }
    if (VERBS.has(word) && (verbSlot || inPath)) {
      push('verb', word);
      inPath = false;
      verbSlot = false;
    } else if (inPath) push('path', word);
    else {
      push('text', word);
      verbSlot = false;
    }
  }
  return out;
}

/** The end (exclusive) of the quoted string starting at `start`: backslash escapes, an unclosed quote runs to the end. */
function quoted(line: string, start: number): number {
  let i = start + 1;
  while (i < line.length) {
    if (line[i] === '\\') i += 2;
    else if (line[i] === '"') return i + 1;
    else i++;
  }
  return line.length;
}
