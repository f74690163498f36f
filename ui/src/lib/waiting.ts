// What a person waiting for a collection is told: how far its batches are, the typical time (said
// honestly: Coresignal publishes none), and that the app may be closed meanwhile.
import type { BatchCount, TypicalWait } from "./backend";
import { countOf, formatCount } from "./format";

/** Said under every collection that is under way. */
export const CLOSE_THE_APP =
  "You can close the app; it carries on when you open it again, and tells you when the files are ready.";

/** "2 of 3 batches ready, 20,000 of 25,000 profiles". */
export function batchProgress(count: BatchCount): string {
  const batches = `${formatCount(count.done)} of ${countOf(count.total, "batch", "batches")} ready`;
  return `${batches}, ${formatCount(count.profiles_ready)} of ${countOf(count.profiles, "profile", "profiles")}`;
}

/** A wait in round figures: "under a minute", "about 4 min", "about 2 h 10 min". */
export function roughWait(seconds: number): string {
  if (seconds < 60) return "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

/**
 * The typical time, from this computer's own collections when it has any (their middle value,
 * saying how many), else what is known: Coresignal publishes no typical time.
 */
export function typicalTime(wait: TypicalWait | null, practice: boolean, batches: boolean): string {
  const each = batches ? " for each batch" : "";
  if (wait && wait.median_secs !== null && wait.from > 0) {
    const from =
      wait.from === 1 ? "your last collection here" : `the middle of your last ${wait.from} here`;
    return `Typical time: ${roughWait(wait.median_secs)}${each} (${from}, from sending to files ready).`;
  }
  if (practice) return `Typical time: a few seconds${each} in Practice.`;
  return `Typical time: Coresignal does not publish one. Expect minutes rather than seconds${each}; a big list can take longer.`;
}
