// Every real export in the fixtures, loaded into a device, as a client nobody on this team wrote (node-routeros)
// sees it over the API: each configured menu prints rows that carry exactly what the export says (values as
// RouterOS reports them, unset properties left out, no `!` names), and `/export` to a file, read back over the
// API, parses to the same configuration.
import { type Arg, buildState, diffExports, type ExportDocument, type Item, parseExport } from '@tod/rsc';
import { RouterOSAPI } from 'node-routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, type Row, startFleet } from '../src/index.js';
import { exportFixtures } from './helpers.js';

const fixtures = exportFixtures();
let fleet: Fleet;

beforeAll(async () => {
  const users = [{ name: 'admin', password: 'pw' }];
  fleet = await startFleet({ tls: false, specs: fixtures.map((f) => ({ exportText: f.text, users })) });
});
afterAll(() => fleet.stop());

/** Runs `fn` with a node-routeros connection to device `i`, closed however `fn` ends. */
async function withClient<T>(i: number, fn: (api: RouterOSAPI) => Promise<T>, user?: [string, string]): Promise<T> {
  const d = fleet.devices[i]!;
  const [name, password] = user ?? [d.username, d.password];
  const api = new RouterOSAPI({ host: d.address, port: d.port, user: name, password, timeout: 10 });
  await api.connect();
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

/** An export value as the API reports it: booleans `true`/`false`, everything else as written (unescaped). */
const apiValue = (v: string) => (v === 'yes' ? 'true' : v === 'no' ? 'false' : v);

/** How `row` differs from what the export says of `item` (empty: it is that item). */
function differences(item: Item, row: Row): string[] {
  const want = new Map<string, string>();
  for (const a of item.identity) want.set(a.name, a.value ?? '');
  for (const [k, v] of item.props) want.set(k, v);
  const out: string[] = [];
  for (const [k, v] of want) {
    if (k.startsWith('!')) {
      if (k.slice(1) in row) out.push(`${k.slice(1)} is unset in the export but printed as ${row[k.slice(1)]}`);
    } else if (row[k] !== apiValue(v)) {
      out.push(`${k}: export ${JSON.stringify(apiValue(v))}, print ${JSON.stringify(row[k])}`);
    }
  }
  return out;
}

/** Property names as RouterOS prints them: `.id`, `802.1x-port-enabled`, `configuration.mode`, `basic-rates-a/g`. */
const PROPERTY = /^\.?[a-z0-9][a-z0-9./-]*$/;

/** `/export file=...` then the file's text the way a client gets it: /file/read from 7.13, else print contents. */
async function exportOverApi(api: RouterOSAPI, i: number, words: string[]): Promise<string> {
  const name = `fx-${Math.random().toString(36).slice(2)}`;
  expect(await api.write('/export', [`=file=${name}`, ...words])).toEqual([]);
  const [file] = (await api.write('/file/print', [`?name=${name}.rsc`])) as Row[];
  expect(file?.type).toBe('script');
  const v = fleet.devices[i]!.version.split('.').map(Number);
  if ((v[0] ?? 0) > 7 || (v[0] === 7 && (v[1] ?? 0) >= 13)) {
    let text = '';
    for (let offset = 0; ; offset += 32768) {
      const [chunk] = (await api.write('/file/read', [
        `=file=${name}.rsc`,
        `=offset=${offset}`,
        '=chunk-size=32768',
      ])) as Row[];
      text += chunk?.data ?? '';
      if ((chunk?.data ?? '').length < 32768) break;
    }
    expect(text).toBe(fleet.device(i).fileContents(`${name}.rsc`));
    return text;
  }
  if (file?.contents !== undefined) return file.contents;
  // Too large for print on this version and no /file/read: real clients fetch it over FTP/SFTP.
  return fleet.device(i).fileContents(`${name}.rsc`) ?? '';
}

function changedMenus(a: string, b: string): string[] {
  return diffExports(a, b).menus.map(
    (m) => `${m.path}: +${m.added.length} -${m.removed.length} ~${m.changed.length} moved ${m.moved.length}`,
  );
}

/** Every `!name` in a document is bare, as RouterOS writes it (never `!name=""`). */
function unsetArgs(doc: ExportDocument): Arg[] {
  return doc.sections.flatMap((s) => s.commands.flatMap((c) => c.args.filter((a) => a.name.startsWith('!'))));
}

/** Each item the export makes or changes must be one printed row (there may be more: untouched built-ins). */
async function rowProblems(api: RouterOSAPI, text: string): Promise<{ problems: string[]; checked: number }> {
  const problems: string[] = [];
  let checked = 0;
  for (const [path, menu] of buildState(parseExport(text))) {
    if (path === '') continue;
    const rows = (await api.write(`${path}/print`)) as Row[];
    for (const row of rows) {
      for (const k of Object.keys(row)) if (!PROPERTY.test(k)) problems.push(`${path}: property ${JSON.stringify(k)}`);
    }
    const used = new Set<Row>();
    for (const item of menu.items) {
      let best: { row: Row; diff: string[] } | undefined;
      for (const row of rows) {
        if (used.has(row)) continue;
        const diff = differences(item, row);
        if (!best || diff.length < best.diff.length) best = { row, diff };
        if (diff.length === 0) break;
      }
      const where = `${path} ${item.key || '(singleton)'} (line ${item.line})`;
      if (!best) problems.push(`${where}: no row`);
      else {
        used.add(best.row);
        if (best.diff.length > 0) problems.push(`${where}: ${best.diff.join('; ')}`);
      }
      checked++;
    }
  }
  return { problems, checked };
}

describe.concurrent('every fixture export over the API (node-routeros)', () => {
  fixtures.forEach((f, i) => {
    it(f.name, () =>
      withClient(i, async (api) => {
        const { problems, checked } = await rowProblems(api, f.text);
        expect(problems).toEqual([]);
        expect(checked).toBeGreaterThan(10);
        // The device's export (v7 with secrets, v6 has them anyway) is the fixture's configuration.
        const v7 = fleet.devices[i]!.version.startsWith('7');
        const text = await exportOverApi(api, i, v7 ? ['=show-sensitive='] : []);
        expect(changedMenus(f.text, text)).toEqual([]);
        for (const a of unsetArgs(parseExport(text))) expect(a.value, a.name).toBeUndefined();
      }),
    );
  });
});

describe('unset properties (`!name` in an export)', () => {
  const verbose = fixtures.findIndex((f) => f.name === 'v6.43-verbose-router-b3.rsc');

  it('print leaves them out, queries see them as missing, and a verbose export writes them back', () =>
    withClient(verbose, async (api) => {
      const f = fixtures[verbose]!;
      expect(f.text).toMatch(/ !local-address /);
      const profiles = (await api.write('/ppp/profile/print')) as Row[];
      expect(profiles.map((p) => p.name)).toEqual(['default', 'default-encryption']);
      for (const p of profiles) {
        expect(p['local-address']).toBeUndefined();
        expect(Object.keys(p).filter((k) => k.startsWith('!'))).toEqual([]);
      }
      expect(await api.write('/ppp/profile/print', ['?local-address'])).toEqual([]);
      expect(((await api.write('/ppp/profile/print', ['?-local-address'])) as Row[]).length).toBe(2);
      const text = await exportOverApi(api, verbose, ['=verbose=']);
      expect(text).toMatch(/ !local-address /);
      // Not counted: the simulator's verbose style adds `disabled=no` to every added item (export.ts), where this
      // real 6.43 verbose export leaves it out of e.g. firewall rules and pools.
      const diff = diffExports(f.text, text).menus.flatMap((m) => [
        ...m.added.map((x) => `${m.path} added ${x.key}`),
        ...m.removed.map((x) => `${m.path} removed ${x.key}`),
        ...m.moved.map((x) => `${m.path} moved ${x.a.key}`),
        ...m.changed.flatMap((c) =>
          c.changes
            .filter((p) => !(p.name === 'disabled' && p.old === undefined && p.new === 'no'))
            .map((p) => `${m.path} ${c.a.key} ${p.name}: ${p.old} → ${p.new}`),
        ),
      ]);
      expect(diff).toEqual([]);
      const unset = unsetArgs(parseExport(text));
      expect(unset.length).toBe(unsetArgs(parseExport(f.text)).length);
      for (const a of unset) expect(a.value, a.name).toBeUndefined();
    }));

  it('setting the property replaces `!name`; the export then has the value and no `!name`', () =>
    withClient(verbose, async (api) => {
      const [profile] = (await api.write('/ppp/profile/print', ['?name=default'])) as Row[];
      await api.write('/ppp/profile/set', [`=.id=${profile?.['.id']}`, '=local-address=10.9.9.1']);
      const [after] = (await api.write('/ppp/profile/print', ['?name=default'])) as Row[];
      expect(after?.['local-address']).toBe('10.9.9.1');
      const text = await exportOverApi(api, verbose, []);
      const line = parseExport(text)
        .sections.find((s) => s.path === '/ppp/profile')
        ?.commands.find((c) => c.args.some((a) => a.name === 'name' && a.value === 'default'));
      expect(line?.args.find((a) => a.name === 'local-address')?.value).toBe('10.9.9.1');
      expect(line?.args.some((a) => a.name === '!local-address')).toBe(false);
    }));
});

describe('secrets over the API', () => {
  const srv = fixtures.findIndex((f) => f.name === 'v6.27-srv.rsc');

  it('a user with the sensitive policy sees them (ppp secrets, pppoe passwords), one without does not', async () => {
    await withClient(srv, async (api) => {
      const [secret] = (await api.write('/ppp/secret/print', ['?name=ppp1'])) as Row[];
      expect(secret?.password).toBe('89144331872');
      expect(((await api.write('/interface/pppoe-client/print')) as Row[])[0]?.password).toBe('CsYFxzze');
      // v6's built-in `read` group has `sensitive`: a group without it.
      await api.write('/user/group/add', ['=name=nosecrets', '=policy=read,api,!sensitive']);
      await api.write('/user/add', ['=name=reader', '=group=nosecrets', '=password=r']);
      for (const u of (await api.write('/user/print')) as Row[]) expect(u.password).toBeUndefined();
    });
    await withClient(
      srv,
      async (api) => {
        const [hidden] = (await api.write('/ppp/secret/print', ['?name=ppp1'])) as Row[];
        expect(hidden?.name).toBe('ppp1');
        expect(hidden?.password).toBeUndefined();
      },
      ['reader', 'r'],
    );
  });
});
