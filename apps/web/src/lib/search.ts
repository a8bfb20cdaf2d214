/** `?new=1` opens a page's create dialog (used by the command palette's actions). */
export function newSearch(s: Record<string, unknown>): { new?: boolean } {
  return s.new === true || s.new === 'true' || s.new === 1 || s.new === '1' ? { new: true } : {};
}
