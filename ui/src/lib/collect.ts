// Whether a New collection form can be sent, and what the estimate says, as pure functions.
import type { IdFilePick } from "./backend";
import type { EstimateFor } from "./stores/draft.svelte";
import { formatCount } from "./format";
import { checkLimit, checkWebhook, MAX_PROFILES } from "./validation";

/** What the user is about to spend. */
export interface Cost {
  records: number;
  credits: number;
  matches: number;
  balance: number | null;
}

/** The estimate for the search form, only if it was made for the current query and limit. */
export function searchCost(
  estimate: EstimateFor | null,
  queryText: string,
  limitText: string,
): Cost | null {
  const limit = checkLimit(limitText);
  if (!estimate || !limit.ok) return null;
  if (estimate.queryText !== queryText || estimate.limit !== limit.value) return null;
  return estimate.result;
}

/** The cost of a picked ID file: every valid ID is one profile. */
export function idCost(pick: IdFilePick | null, balance: number | null): Cost | null {
  if (!pick || pick.too_many_message !== null) return null;
  return { records: pick.valid, credits: pick.credits, matches: pick.valid, balance };
}

/** "≈ 1,751 profiles · ≈ 1,751 credits · balance 5,000". */
export function costSummary(cost: Cost): string {
  const parts = [
    `≈ ${formatCount(cost.records)} profiles`,
    `≈ ${formatCount(cost.credits)} credits`,
  ];
  if (cost.balance !== null) parts.push(`balance ${formatCount(cost.balance)}`);
  return parts.join(" · ");
}

/** The confirmation question. */
export function confirmQuestion(cost: Cost): string {
  return `Collect ≈ ${formatCount(cost.records)} profiles for ≈ ${formatCount(cost.credits)} credits?`;
}

export interface SearchForm {
  queryText: string;
  queryHasError: boolean;
  limitText: string;
  webhook: string;
  cost: Cost | null;
}

export interface IdForm {
  pick: IdFilePick | null;
  webhook: string;
}

/** Why Collect is disabled for the search form, in plain words; null when it may be pressed. */
export function searchBlocker(form: SearchForm): string | null {
  if (form.queryText.trim() === "") return "Write a query or pick a template first.";
  if (form.queryHasError) return "Fix the query first (see the message under the editor).";
  const limit = checkLimit(form.limitText);
  if (!limit.ok) return "Fix the number of profiles first.";
  if (!checkWebhook(form.webhook).ok) return "Fix the webhook address first.";
  if (!form.cost) return "Press Estimate to see the cost first.";
  if (form.cost.records === 0)
    return "Nothing matches this search, so there is nothing to collect.";
  if (limit.value === null && form.cost.matches > MAX_PROFILES) {
    return `This search matches ${formatCount(form.cost.matches)} profiles, but at most 10,000 can be collected at once. Enter a limit, or narrow the search.`;
  }
  return null;
}

/** Why Collect is disabled for the ID list form; null when it may be pressed. */
export function idBlocker(form: IdForm): string | null {
  if (!form.pick) return "Choose a file first.";
  if (form.pick.too_many_message !== null) return form.pick.too_many_message;
  if (form.pick.valid === 0) return "The file has no valid IDs, so there is nothing to collect.";
  if (!checkWebhook(form.webhook).ok) return "Fix the webhook address first.";
  return null;
}
