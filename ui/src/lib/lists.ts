// Words and rules for a list of people on the New collection screen, as pure functions.
import type { Group, HeaderChoice, ListColumn, ListPreview, Search, ValueKind } from "./backend";
import { formatCount } from "./format";

/** Long tables show this many rows; the rest are counted ("…and 40 more"). */
export const SHOWN_ROWS = 100;

/** What a column holds, in words. */
export function kindWords(kind: ValueKind): string {
  switch (kind) {
    case "employee_ids":
      return "employee IDs";
    case "profile_addresses":
      return "LinkedIn profile addresses";
    case "companies":
      return "companies";
    case "other":
      return "other text";
  }
}

/** Whether a column names people the app can find (IDs as they are, addresses looked up). */
export function namesPeople(column: ListColumn | undefined): boolean {
  return column?.kind === "employee_ids" || column?.kind === "profile_addresses";
}

/** The column the preview has chosen, if any. */
export function chosenColumn(preview: ListPreview): ListColumn | undefined {
  return preview.columns.find((column) => column.index === preview.chosen);
}

/** "40 of 41 values usable", or "41 values" for a column of other text. */
export function usableWords(column: ListColumn): string {
  if (column.kind === "other") return `${formatCount(column.filled)} values`;
  return `${formatCount(column.usable)} of ${formatCount(column.filled)} values usable`;
}

/** The header choice a select's value stands for: "none", or a row number. */
export function headerChoice(value: string): HeaderChoice {
  if (value === "none") return { kind: "none" };
  return { kind: "row", row: Number(value) };
}

/** The rows offered as the one holding the column names: the first ten the list has. */
export function headerRows(preview: ListPreview): number[] {
  const rows = Math.min(10, Math.max(1, (preview.header_row ?? 0) + preview.data_rows));
  return Array.from({ length: rows }, (_, index) => index + 1);
}

/** "Looking up 12 of 40 … (free searches)", or the start before the first search answers. */
export function progressWords(progress: { done: number; planned: number } | null): string {
  if (!progress || progress.planned === 0) return "Looking up the people… (free searches)";
  return `Looking up ${formatCount(progress.done)} of ${formatCount(progress.planned)} … (free searches)`;
}

/** A sample cut to about 50 characters, so that one long address does not fill the list. */
export function cut(text: string, most = 50): string {
  return text.length <= most ? text : `${text.slice(0, most - 1)}…`;
}

/** Whether a builder group asks anything yet (a rule with a value, or a yes/no rule). */
function asks(group: Group): boolean {
  return group.rules.some(
    (rule) =>
      rule.condition === "is_yes" ||
      rule.condition === "is_no" ||
      rule.values.some((value) => value.trim() !== ""),
  );
}

/** The builder's search with the companies' group added (an untouched empty group gives way). */
export function withCompanies(search: Search | null, companies: Group): Search {
  const kept = (search?.groups ?? []).filter(asks);
  return { groups: [...kept, companies] };
}
