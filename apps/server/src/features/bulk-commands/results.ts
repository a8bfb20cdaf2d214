// Results of a bulk command over many devices: grouped by identical output ("200 devices, 2 outputs"), and as
// CSV or JSON files for download.

export type DeviceResult = { device_id: string; output: string; error?: string };
export type OutputGroup = { output: string; device_ids: string[]; error?: string };

/** Line ends and trailing whitespace are how a transport wrote the text, not what the device said. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/**
 * Devices with the same (normalised) output and the same error share a group. Groups come largest first; equal
 * sizes keep the order in which their first device came, so the same results always give the same groups.
 */
export function groupOutputs(results: readonly DeviceResult[]): OutputGroup[] {
  const groups = new Map<string, OutputGroup>();
  for (const r of results) {
    const output = normalizeOutput(r.output);
    const key = JSON.stringify([output, r.error ?? null]);
    let g = groups.get(key);
    if (!g) {
      g = r.error === undefined ? { output, device_ids: [] } : { output, device_ids: [], error: r.error };
      groups.set(key, g);
    }
    g.device_ids.push(r.device_id);
  }
  // Array.prototype.sort is stable: ties stay in first-seen order.
  return [...groups.values()].sort((a, b) => b.device_ids.length - a.device_ids.length);
}

export type ResultRow = { device_id: string; device_name: string; group: number; output: string; error: string };

/** One row per device, in group order; `group` is the 1-based position of the device's group. */
export function resultRows(
  groups: readonly OutputGroup[],
  names: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): ResultRow[] {
  const nameOf = (id: string) =>
    (names instanceof Map ? names.get(id) : Object.hasOwn(names, id) ? (names as Record<string, string>)[id] : '') ??
    '';
  return groups.flatMap((g, i) =>
    g.device_ids.map((id) => ({
      device_id: id,
      device_name: nameOf(id),
      group: i + 1,
      output: g.output,
      error: g.error ?? '',
    })),
  );
}

const COLUMNS = ['device_id', 'device_name', 'group', 'output', 'error'] as const;

/**
 * RFC 4180: CRLF between records, fields with `,` `"` CR or LF quoted, quotes doubled. A cell a spreadsheet
 * would run as a formula (starting with = + - @, or a tab or CR that hides one) gets a leading `'`.
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function resultsCsv(rows: readonly ResultRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function resultsJson(rows: readonly ResultRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
