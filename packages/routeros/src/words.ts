// Building the words of a command sentence from a path, arguments, `.proplist` and a query.

import { type Query, queryWords } from './query.js';

export type ArgValue = string | number | boolean | bigint | Buffer | null | undefined;

/** Named arguments (`{ name: 'x' }` -> `=name=x`; null/undefined skipped) or raw words used verbatim. */
export type Args = Readonly<Record<string, ArgValue>> | ReadonlyArray<string | Buffer>;

export interface WordOptions {
  /** Properties to return (`=.proplist=a,b`). Cuts reply size and, for counters, router CPU. */
  proplist?: readonly string[];
  /** `print` filter; see `q`. */
  query?: Query | readonly Query[];
}

/** `/interface print`, `interface/print`, `/interface/print` -> `/interface/print`. */
export function normalizePath(path: string): string {
  const parts = path
    .trim()
    .split(/[\s/]+/)
    .filter(Boolean);
  if (parts.length === 0) throw new TypeError(`empty command path ${JSON.stringify(path)}`);
  for (const p of parts) {
    if (p.includes('='))
      throw new TypeError(`command path ${JSON.stringify(path)} contains '='; pass arguments as args`);
  }
  return `/${parts.join('/')}`;
}

function argText(v: Exclude<ArgValue, null | undefined | Buffer>): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

export function commandWords(path: string, args?: Args, opts: WordOptions = {}): Array<string | Buffer> {
  const words: Array<string | Buffer> = [normalizePath(path)];
  if (Array.isArray(args)) {
    for (const w of args as ReadonlyArray<string | Buffer>) words.push(w);
  } else if (args) {
    for (const [name, value] of Object.entries(args as Record<string, ArgValue>)) {
      if (value === undefined || value === null) continue;
      if (name.length === 0 || name.includes('=')) throw new TypeError(`invalid argument name ${JSON.stringify(name)}`);
      if (Buffer.isBuffer(value)) words.push(Buffer.concat([Buffer.from(`=${name}=`, 'latin1'), value]));
      else words.push(`=${name}=${argText(value)}`);
    }
  }
  if (opts.proplist && opts.proplist.length > 0) words.push(`=.proplist=${opts.proplist.join(',')}`);
  if (opts.query) words.push(...queryWords(opts.query));
  return words;
}
