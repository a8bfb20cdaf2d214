import { describe, expect, it } from 'vitest';
import {
  csvCell,
  groupOutputs,
  normalizeOutput,
  resultRows,
  resultsCsv,
  resultsJson,
} from '../../src/features/bulk-commands/results.js';
import { parseCsv } from '../../src/features/devices/csv.js';

describe('groupOutputs', () => {
  it('groups identical outputs, largest group first, devices in the order they came', () => {
    const groups = groupOutputs([
      { device_id: 'a', output: '7.16' },
      { device_id: 'b', output: '7.18' },
      { device_id: 'c', output: '7.16' },
      { device_id: 'd', output: '7.18' },
      { device_id: 'e', output: '7.18' },
    ]);
    expect(groups).toEqual([
      { output: '7.18', device_ids: ['b', 'd', 'e'] },
      { output: '7.16', device_ids: ['a', 'c'] },
    ]);
  });

  it('ignores line ends and trailing whitespace, not other differences', () => {
    const groups = groupOutputs([
      { device_id: 'a', output: 'x=1\r\ny=2\r\n' },
      { device_id: 'b', output: 'x=1  \ny=2\n\n' },
      { device_id: 'c', output: 'x=1\ny=2' },
      { device_id: 'd', output: ' x=1\ny=2' },
      { device_id: 'e', output: 'uptime=1d2h' },
      { device_id: 'f', output: 'uptime=1d3h' },
    ]);
    expect(groups.map((g) => g.device_ids)).toEqual([['a', 'b', 'c'], ['d'], ['e'], ['f']]);
    expect(groups[0]?.output).toBe('x=1\ny=2');
  });

  it('keeps errors apart from outputs and groups equal errors', () => {
    const groups = groupOutputs([
      { device_id: 'a', output: '', error: 'auth_failed' },
      { device_id: 'b', output: '' },
      { device_id: 'c', output: '', error: 'auth_failed' },
      { device_id: 'd', output: '', error: 'timeout' },
    ]);
    expect(groups).toEqual([
      { output: '', device_ids: ['a', 'c'], error: 'auth_failed' },
      { output: '', device_ids: ['b'] },
      { output: '', device_ids: ['d'], error: 'timeout' },
    ]);
  });

  it('groups 100 devices with 2 outputs into 2 groups', () => {
    const results = Array.from({ length: 100 }, (_, i) => ({
      device_id: `d${i}`,
      output: i % 10 === 0 ? 'name=old' : 'name=new\n',
    }));
    const groups = groupOutputs(results);
    expect(groups.map((g) => [g.output, g.device_ids.length])).toEqual([
      ['name=new', 90],
      ['name=old', 10],
    ]);
  });

  it('normalises only line ends and trailing blanks', () => {
    expect(normalizeOutput('a \r\nb\t\r\n\r\n')).toBe('a\nb');
    expect(normalizeOutput('\n a')).toBe('\n a');
  });
});

describe('CSV and JSON', () => {
  const groups = groupOutputs([
    { device_id: 'id-1', output: 'comment="a, b"\nx=1' },
    { device_id: 'id-2', output: '=cmd|" /C calc"!A0' },
    { device_id: 'id-3', output: 'comment="a, b"\nx=1' },
    { device_id: 'id-4', output: '', error: 'auth_failed' },
  ]);
  const names = new Map([
    ['id-1', 'core, "north"'],
    ['id-2', '@edge'],
    ['id-3', '-3 dB'],
  ]);

  it('has one row per device with its group number', () => {
    expect(resultRows(groups, names).map((r) => [r.device_id, r.device_name, r.group])).toEqual([
      ['id-1', 'core, "north"', 1],
      ['id-3', '-3 dB', 1],
      ['id-2', '@edge', 2],
      ['id-4', '', 3],
    ]);
    expect(resultRows(groups, { 'id-2': 'edge' })[2]?.device_name).toBe('edge');
    expect(resultRows(groupOutputs([{ device_id: 'constructor', output: '' }]), {})[0]?.device_name).toBe('');
  });

  it('writes RFC 4180 CSV that reads back, formula cells defused', () => {
    const csv = resultsCsv(resultRows(groups, names));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe('device_id,device_name,group,output,error');
    expect(parseCsv(csv)).toEqual([
      ['device_id', 'device_name', 'group', 'output', 'error'],
      ['id-1', 'core, "north"', '1', 'comment="a, b"\nx=1', ''],
      ['id-3', "'-3 dB", '1', 'comment="a, b"\nx=1', ''],
      ['id-2', "'@edge", '2', `'=cmd|" /C calc"!A0`, ''],
      ['id-4', '', '3', '', 'auth_failed'],
    ]);
  });

  it('defuses every formula starter and quotes what needs it', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(s).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(3)).toBe('3');
  });

  it('writes JSON with the same rows', () => {
    const rows = resultRows(groups, names);
    expect(JSON.parse(resultsJson(rows))).toEqual(rows);
  });
});
