// Every query form the RouterOS API manual documents (section "Queries"), on its own and over the wire from a
// client nobody on this team wrote (node-routeros), including the manual's own examples.
import fc from 'fast-check';
import { RouterOSAPI } from 'node-routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery, type Fleet, QueryError, type Row, startFleet } from '../src/index.js';

const rows: Row[] = [
  { '.id': '*1', name: 'ether1', type: 'ether', mtu: '1500', comment: 'wan', disabled: 'false' },
  { '.id': '*2', name: 'ether2', type: 'ether', mtu: '9000', disabled: 'true' },
  { '.id': '*3', name: 'vlan10', type: 'vlan', mtu: '1500', comment: '', disabled: 'false' },
  { '.id': '*4', name: 'bridge', type: 'bridge', mtu: '1500', disabled: 'false' },
];
const names = (...words: string[]) => rows.filter((r) => (compileQuery(words) ?? (() => true))(r)).map((r) => r.name);

describe('query words', () => {
  it('?name has the property, ?-name has not', () => {
    expect(names('?comment')).toEqual(['ether1', 'vlan10']);
    expect(names('?-comment')).toEqual(['ether2', 'bridge']);
    expect(names('?nosuch')).toEqual([]);
    expect(names('?-nosuch')).toEqual(['ether1', 'ether2', 'vlan10', 'bridge']);
  });

  it('?=name=x is the same as ?name=x (the form librouteros sends)', () => {
    expect(names('?=type=ether')).toEqual(['ether1', 'ether2']);
    expect(names('?=.id=*3')).toEqual(['vlan10']);
    expect(names('?=comment=wan')).toEqual(['ether1']);
    // A value may itself contain `=`.
    expect(compileQuery(['?=comment=a=b'])?.({ comment: 'a=b' })).toBe(true);
    const name = fc.constantFrom('name', 'type', 'mtu', 'comment', 'disabled', 'nosuch', '.id');
    const value = fc.constantFrom('', 'ether', 'ether1', '1500', 'wan', 'true', 'no', '*2', 'x=y');
    fc.assert(
      fc.property(name, value, (n, v) => {
        expect(names(`?=${n}=${v}`)).toEqual(names(`?${n}=${v}`));
      }),
    );
  });

  it('an empty value also matches a missing property; booleans answer to yes/no as well as true/false', () => {
    expect(names('?comment=')).toEqual(['ether2', 'vlan10', 'bridge']);
    expect(names('?=disabled=no')).toEqual(['ether1', 'vlan10', 'bridge']);
    expect(names('?disabled=yes')).toEqual(['ether2']);
    expect(names('?disabled=true')).toEqual(['ether2']);
  });

  it('?<name=x and ?>name=x compare numbers as numbers and text as text; a missing property is neither', () => {
    expect(names('?<mtu=2000')).toEqual(['ether1', 'vlan10', 'bridge']);
    expect(names('?>mtu=1500')).toEqual(['ether2']);
    expect(names('?>name=e')).toEqual(['ether1', 'ether2', 'vlan10']);
    // The manual's "non-empty comment" example.
    expect(names('?>comment=')).toEqual(['ether1']);
    expect(names('?<comment=zzz')).toEqual(['ether1', 'vlan10']);
  });

  it("the manual's examples: ether or vlan, and neither", () => {
    expect(names('?type=ether', '?type=vlan', '?#|')).toEqual(['ether1', 'ether2', 'vlan10']);
    expect(names('?type=ether', '?type=vlan', '?#|!')).toEqual(['bridge']);
  });

  it('?# operators: | & ! and . (a copy of the top)', () => {
    expect(names('?mtu=1500', '?comment', '?#&')).toEqual(['ether1', 'vlan10']);
    expect(names('?mtu=1500', '?comment', '?#&!')).toEqual(['ether2', 'bridge']);
    expect(names('?type=ether', '?#!')).toEqual(['vlan10', 'bridge']);
    // x . ! |  =  x or not x: everything.
    expect(names('?type=vlan', '?#.!|')).toEqual(['ether1', 'ether2', 'vlan10', 'bridge']);
    // Several words of operations, and operations in one word, are the same thing.
    expect(names('?type=ether', '?type=vlan', '?#|', '?#!')).toEqual(names('?type=ether', '?type=vlan', '?#|!'));
  });

  it('?# index followed by a character pushes a copy of the value at that index (0 = top); . after it does nothing', () => {
    // stack [ether2, mtu=1500]: `1` copies ether2 → [ether2, mtu, ether2]; `|` → [ether2, mtu or ether2].
    expect(names('?name=ether2', '?mtu=1500', '?#1|')).toEqual(['ether2']);
    // `0.` copies the top once (the dot is no second copy): [vlan, vlan] then `!` → [vlan, not vlan]: nothing.
    expect(names('?type=vlan', '?#0.!')).toEqual([]);
    // `0!`: [vlan, not vlan] the same way.
    expect(names('?type=vlan', '?#0!')).toEqual([]);
    // `..!&`: [x, x, x] → [x, x, !x] → [x, x && !x]: nothing; with `.` after an index instead only one copy.
    expect(names('?type=vlan', '?#..!&')).toEqual([]);
    expect(names('?type=vlan', '?#0.&')).toEqual(['vlan10']);
  });

  it('?# index at the end of the word replaces the whole stack with that value', () => {
    // [ether, vlan]: nobody is both ...
    expect(names('?type=ether', '?type=vlan')).toEqual([]);
    // ... but `1` at the end keeps only the ether test, `0` only the vlan one.
    expect(names('?type=ether', '?type=vlan', '?#1')).toEqual(['ether1', 'ether2']);
    expect(names('?type=ether', '?type=vlan', '?#0')).toEqual(['vlan10']);
    // It replaces the endless `true`s below too: after `?#0` on a false top, popping more gives false.
    expect(names('?type=vlan', '?#0', '?#&|')).toEqual(['vlan10']);
    // An index below the pushed values reads the initial endless `true`s.
    expect(names('?type=vlan', '?#5')).toEqual(['ether1', 'ether2', 'vlan10', 'bridge']);
    expect(names('?type=vlan', '?#5|')).toEqual(['ether1', 'ether2', 'vlan10', 'bridge']);
    // Multi-digit indexes.
    const ten = Array.from({ length: 11 }, (_, i) => (i === 0 ? '?type=bridge' : '?-nosuch'));
    expect(names(...ten, '?#10')).toEqual(['bridge']);
  });

  it('operators on an empty stack use the initial endless trues', () => {
    expect(names('?#!')).toEqual([]);
    expect(names('?#&')).toEqual(['ether1', 'ether2', 'vlan10', 'bridge']);
    expect(names('?#')).toEqual(['ether1', 'ether2', 'vlan10', 'bridge']);
  });

  it('undocumented or malformed words are refused', () => {
    expect(() => compileQuery(['?#x'])).toThrow(QueryError);
    expect(() => compileQuery(['?<mtu'])).toThrow(QueryError);
    expect(() => compileQuery(['?>mtu'])).toThrow(QueryError);
    expect(() => compileQuery(['?=mtu'])).toThrow(QueryError);
    expect(() => compileQuery(['?=mtu'])).toThrow(/needs a value/);
    expect(() => compileQuery(['?==x'])).toThrow(/no property name/);
  });
});

describe('query words over the wire (node-routeros)', () => {
  let fleet: Fleet;
  let api: RouterOSAPI;
  const print = async (path: string, ...words: string[]) =>
    ((await api.write(`${path}/print`, words)) as Row[]).map((r) => r.name ?? r.comment ?? r['dst-address']);

  beforeAll(async () => {
    // 7.16: before 7.18's `!empty`, which node-routeros cannot read (see node-routeros.test.ts).
    fleet = await startFleet({
      tls: false,
      specs: [{ version: '7.16', users: [{ name: 'admin', password: 'q' }], generate: { interfaces: 2, vlans: 1 } }],
    });
    const d = fleet.devices[0]!;
    api = new RouterOSAPI({ host: d.address, port: d.port, user: d.username, password: d.password, timeout: 5 });
    await api.connect();
    await api.write('/ip/route/add', ['=dst-address=192.0.2.0/24', '=gateway=10.0.0.1', '=comment=lab']);
    await api.write('/ip/route/add', ['=dst-address=198.51.100.0/24', '=gateway=10.0.0.1']);
  });
  afterAll(async () => {
    await api.close();
    await fleet.stop();
  });

  it("the manual's examples: ethernet and VLAN interfaces; the rest; routes with a non-empty comment", async () => {
    const all = (await api.write('/interface/print')) as Row[];
    const byType = (...types: string[]) => all.filter((r) => types.includes(r.type ?? '')).map((r) => r.name);
    expect(byType('ether', 'vlan').length).toBeGreaterThanOrEqual(3);
    expect(await print('/interface', '?type=ether', '?type=vlan', '?#|')).toEqual(byType('ether', 'vlan'));
    const rest = all.filter((r) => r.type !== 'ether' && r.type !== 'vlan').map((r) => r.name);
    expect(rest.length).toBeGreaterThan(0);
    expect(await print('/interface', '?type=ether', '?type=vlan', '?#|!')).toEqual(rest);
    expect(await print('/ip/route', '?>comment=')).toEqual(['lab']);
  });

  it('?=name=x, ?name, ?-name, ?<, ?> and ?#N as a device answers them', async () => {
    expect(await print('/interface', '?=type=vlan')).toEqual(await print('/interface', '?type=vlan'));
    expect(await print('/ip/route', '?comment')).toEqual(['lab']);
    // Words left on the stack are ANDed (the generated default route has another gateway).
    expect(await print('/ip/route', '?-comment', '?gateway=10.0.0.1')).toEqual(['198.51.100.0/24']);
    expect(await print('/ip/route', '?-comment', '?dst-address')).toEqual(['0.0.0.0/0', '198.51.100.0/24']);
    expect(await print('/interface', '?=disabled=no', '?=type=vlan')).toEqual(await print('/interface', '?type=vlan'));
    expect(await print('/interface', '?type=ether', '?type=vlan', '?#1')).toEqual(
      await print('/interface', '?type=ether'),
    );
    const mtus = ((await api.write('/interface/print', ['?<mtu=1501'])) as Row[]).map((r) => Number(r.mtu));
    expect(mtus.length).toBeGreaterThan(0);
    for (const m of mtus) expect(m).toBeLessThan(1501);
  });

  it('a word RouterOS does not document is a trap, not a silent match-all', async () => {
    const err = await api.write('/interface/print', ['?#x']).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/unknown query operation/);
  });
});
