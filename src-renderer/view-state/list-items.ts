/**
 * Normalizes a phrase or keyword as the settings validator does (trim, runs of whitespace to one
 * space), so the UI's duplicate check agrees with what gets saved.
 */
export function normalizeItem(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** Why `text` cannot be added to `existing` (case-insensitive duplicates), or null when it can. */
export function itemProblem(text: string, existing: readonly string[], what: string): string | null {
  const item = normalizeItem(text);
  if (!item) return `Type a ${what} first.`;
  if (item.length > 200) return `A ${what} can have at most 200 characters.`;
  const key = item.toLowerCase();
  if (existing.some((e) => normalizeItem(e).toLowerCase() === key)) return `“${item}” is already in the list.`;
  return null;
}
