// RouterOS version numbers and the behaviours that depend on them.

export interface Version {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string): Version {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) throw new TypeError(`not a RouterOS version: ${JSON.stringify(text)}`);
  return { text, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/** a >= b, comparing major.minor.patch. */
export function atLeast(v: Version, text: string): boolean {
  const b = parseVersion(text);
  if (v.major !== b.major) return v.major > b.major;
  if (v.minor !== b.minor) return v.minor > b.minor;
  return v.patch >= b.patch;
}

/** Feature switches, so the rest of the code asks "does this device do X" instead of comparing numbers. */
export interface Behaviour {
  v7: boolean;
  /** Pre-6.43 devices only know the MD5 challenge login. */
  challengeLogin: boolean;
  /** 7.18+ answers `!empty` when a print matches nothing. */
  emptyReply: boolean;
  /** `/safe-mode` over the API exists from 7.18. */
  safeMode: boolean;
  /** Export header date `2025-03-01 12:00:00` from 7.10, `mar/01/2025 12:00:00` before. */
  isoDates: boolean;
  /** v7 hides secrets in exports unless `show-sensitive`; v6 shows them unless `hide-sensitive`. */
  hideSecretsByDefault: boolean;
}

export function behaviourOf(v: Version): Behaviour {
  return {
    v7: v.major >= 7,
    challengeLogin: !atLeast(v, '6.43'),
    emptyReply: atLeast(v, '7.18'),
    safeMode: atLeast(v, '7.18'),
    isoDates: atLeast(v, '7.10'),
    hideSecretsByDefault: v.major >= 7,
  };
}
