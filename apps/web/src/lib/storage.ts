/** localStorage that never throws (private mode, disabled storage): preferences are nice to keep, not essential. */
export const prefs = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(`tod.${key}`);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null) {
    try {
      if (value === null) localStorage.removeItem(`tod.${key}`);
      else localStorage.setItem(`tod.${key}`, value);
    } catch {}
  },
};
