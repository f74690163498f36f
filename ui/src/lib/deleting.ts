// Deleting a finished collection: when it is offered, and the words of its question.

import type { JobAction, JobState } from "./backend";
import { countOf } from "./format";

/** The states a collection may be deleted in (Rust decides; this only hides the button). */
const FINISHED: ReadonlySet<JobState> = new Set<JobState>([
  "downloaded",
  "no_results",
  "too_many_matches",
  "expired",
  "failed",
  "cancelled",
]);

/** Whether to offer *Delete* for a collection in `state` allowing `actions`. */
export function deletable(state: JobState, actions: readonly JobAction[]): boolean {
  return FINISHED.has(state) && !actions.includes("download_paid");
}

/** The question asked before deleting a collection that brought `people`. */
export function deleteQuestion(name: string, people: number) {
  return {
    title: `Delete “${name}”?`,
    body:
      "It leaves your list of collections. The files you downloaded stay where they are, and " +
      "what it cost stays in your credit history.",
    keep:
      people > 0
        ? `Keep the ${countOf(people, "person", "people")} it collected in your people library`
        : null,
  };
}

/** What deleting did, in one sentence. */
export function deletedLine(name: string, forgotten: number): string {
  return forgotten > 0
    ? `“${name}” was deleted and ${countOf(forgotten, "person", "people")} only it brought were forgotten.`
    : `“${name}” was deleted.`;
}
