// The People screen's logic: what is selected, what to export, and the words it shows.

import type { ImportProgress, PeopleSelection } from "./backend";
import { countOf, formatCount } from "./format";

/** Which people are selected: some by id, or everyone the current search finds. */
export interface Selection {
  /** Everyone matching the search (the ids are then ignored). */
  all: boolean;
  /** People ticked one by one. */
  ids: ReadonlySet<number>;
}

/** Nobody selected. */
export const NONE: Selection = { all: false, ids: new Set() };

/** The selection with person `id` ticked or unticked (leaves "everyone matching"). */
export function toggle(selection: Selection, id: number): Selection {
  const ids = new Set(selection.all ? [] : selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { all: false, ids };
}

/** The selection with every person of `page` ticked, or all of them unticked when they were. */
export function togglePage(selection: Selection, page: readonly number[]): Selection {
  const ids = new Set(selection.all ? [] : selection.ids);
  const allTicked = page.length > 0 && page.every((id) => ids.has(id));
  for (const id of page) {
    if (allTicked) ids.delete(id);
    else ids.add(id);
  }
  return { all: false, ids };
}

/** Whether person `id` is selected. */
export const isSelected = (selection: Selection, id: number) =>
  selection.all || selection.ids.has(id);

/** How many people the selection holds, `total` being how many the search finds. */
export const selectedCount = (selection: Selection, total: number) =>
  selection.all ? total : selection.ids.size;

/** What Rust is asked to export for `selection` under the search `text`; null for no one. */
export function exportRequest(selection: Selection, text: string): PeopleSelection | null {
  if (selection.all) return { kind: "matching", text: text.trim() === "" ? null : text.trim() };
  if (selection.ids.size === 0) return null;
  return { kind: "chosen", ids: [...selection.ids].sort((a, b) => a - b) };
}

/** "1–100 of 1,204 people", or what is true when nothing matches. */
export function countLine(total: number, page: number, shown: number, text: string): string {
  if (total === 0) return text.trim() === "" ? "No one yet." : "No one matches.";
  const first = (page - 1) * 100 + 1;
  const range = `${formatCount(first)}–${formatCount(first + shown - 1)}`;
  const people = countOf(total, "person", "people");
  return text.trim() === "" ? `${range} of ${people}` : `${range} of ${people} matching`;
}

/** The question asked before forgetting a person. */
export function forgetQuestion(name: string | null): { title: string; body: string } {
  const who = name && name.trim() !== "" ? name.trim() : "this person";
  return {
    title: `Forget ${who}?`,
    body:
      "Their copy is deleted from your people library. The app keeps only a note that they " +
      "were forgotten, for your records. Files you downloaded before are not changed. If a " +
      "later collection finds them again, they are bought and kept again.",
  };
}

/** The banner while earlier collections are being added; null once there is nothing to say. */
export function importLine(progress: ImportProgress | null): string | null {
  if (progress === null || progress.finished || progress.jobs_total === 0) return null;
  return (
    `Adding your earlier collections to the people library: ${formatCount(progress.jobs_done)} ` +
    `of ${formatCount(progress.jobs_total)} (${countOf(progress.people, "person", "people")})`
  );
}

/** What an export wrote, in one sentence. */
export function exportedLine(people: number, path: string): string {
  return `Saved ${countOf(people, "person", "people")} to ${path}.`;
}
