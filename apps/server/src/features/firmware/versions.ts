// RouterOS version numbers: `7.16`, `7.16.2`, `7.17beta2`, `7.17rc1`, `6.49.17`. Ordered as MikroTik releases them:
// 7.17beta2 < 7.17rc1 < 7.17 < 7.17.1 < 7.18.

export const VERSION = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:(alpha|beta|rc)(\d{1,3}))?$/;
const STAGES: Record<string, number> = { alpha: 0, beta: 1, rc: 2 };

type Release = { major: number; minor: number; patch: number; stage: number; n: number };

function release(text: string): Release | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const stage = m[4] ? (STAGES[m[4]] as number) : 3;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), stage, n: Number(m[5] ?? 0) };
}

export const isVersion = (text: string): boolean => release(text) !== undefined;

/** <0, 0, >0 like a sort comparator; a text that is not a version sorts first. */
export function compareVersions(a: string, b: string): number {
  const x = release(a);
  const y = release(b);
  if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch || x.stage - y.stage || x.n - y.n;
}

/** The major number (6, 7), or undefined for a text that is not a version. */
export const majorOf = (v: string | null | undefined): number | undefined => (v ? release(v)?.major : undefined);

export function newest(versions: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (isVersion(v) && (best === undefined || compareVersions(v, best) > 0)) best = v;
  return best;
}

/** `/system/resource` prints "7.16 (stable)": the version alone. */
export const versionOf = (text: string | undefined | null): string | null => text?.trim().split(/\s+/)[0] || null;

/** RouterOS 6's last releases (6.49.x) are the only ones that can move to 7 (the `upgrade` channel). */
export const V7_FROM = '6.49';
