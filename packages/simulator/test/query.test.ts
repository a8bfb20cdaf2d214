// Query evaluation on its own: every word kind and the `?#` stack operations (fast-check for the laws).
import { parseExport } from '@tod/rsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery, QueryError, type Row } from '../src/index.js';
import { selectItems } from '../src/select.js';
import { ConfigStore } from '../src/store.js';

const rows: Row[] = [
  { name: 'ether1', mtu: '1500', comment: 'wan' },
  { name: 'ether2', mtu: '9000' },
  { name: 'bridge', mtu: '1500', comment: '' },
];
const names = (words: string[]) => rows.filter((r) => (compileQuery(words) ?? (() => true))(r)).map((r) => r.name);

describe('queries', () => {
  it('has / missing / equals / less / greater', () => {
    expect(names(['?comment'])).toEqual(['ether1', 'bridge']);
    expect(names(['?-comment'])).toEqual(['ether2']);
    expect(names(['?mtu=1500'])).toEqual(['ether1', 'bridge']);
    expect(names(['?<mtu=2000'])).toEqual(['ether1', 'bridge']);
    expect(names(['?>mtu=2000'])).toEqual(['ether2']);
    expect(names(['?>name=c'])).toEqual(['ether1', 'ether2']); // text compares as text
    expect(names(['?comment='])).toEqual(['ether2', 'bridge']); // empty matches unset too
  });

  it('stack operations: | & ! . and negative indexes; leftovers are ANDed', () => {
    expect(names(['?name=ether1', '?name=bridge', '?#|'])).toEqual(['ether1', 'bridge']);
    expect(names(['?mtu=1500', '?comment', '?#&!'])).toEqual(['ether2']);
    expect(names(['?mtu=1500', '?#.!|'])).toEqual(['ether1', 'ether2', 'bridge']); // x or not x
    expect(names(['?name=ether2', '?mtu=1500', '?#1|'])).toEqual(['ether2']); // copy of the value below the top
    expect(names(['?mtu=1500', '?comment'])).toEqual(['ether1', 'bridge']);
    expect(() => compileQuery(['?#x'])).toThrow(QueryError);
    expect(() => compileQuery(['?<mtu'])).toThrow(QueryError);
  });

  it('De Morgan holds for any two conditions', () => {
    const cond = fc.constantFrom('?mtu=1500', '?comment', '?-comment', '?name=ether2', '?>mtu=1000');
    fc.assert(
      fc.property(cond, cond, (a, b) => {
        expect(names([a, b, '?#|!'])).toEqual(names([a, '?#!', b, '?#!', '?#&']));
      }),
    );
  });
});

describe('find with a regular expression', () => {
  it('selects items whose property matches, as `[find name~"^x"]` does', () => {
    const store = new ConfigStore();
    for (const n of ['tod-backup-1.backup', 'keep.rsc', 'tod-backup-2.rsc']) store.add('/file', new Map([['name', n]]));
    const sel = parseExport('/file set [find where name~"^tod-backup-"]').sections[0]!.commands[0]!.selector!;
    expect(selectItems(store.menu('/file'), sel).map((i) => ConfigStore.get(i, 'name'))).toEqual([
      'tod-backup-1.backup',
      'tod-backup-2.rsc',
    ]);
  });
});
