// Whether a New collection form can be sent, and which quote holds for it, as pure functions.
import type { ListPick, Quote, SearchRequest } from "./backend";
import type { QuoteFor } from "./stores/draft.svelte";
import { formatCount } from "./format";
import { checkLimit, checkWebhook, MAX_PROFILES } from "./validation";

/** The fields of the search form, as typed. */
export interface SearchFields {
  queryText: string;
  limitText: string;
  webhook: string;
  name: string;
}

/** The request the search form describes; null while the limit or the webhook is not valid. */
export function searchRequest(fields: SearchFields): SearchRequest | null {
  const limit = checkLimit(fields.limitText);
  const webhook = checkWebhook(fields.webhook);
  if (!limit.ok || !webhook.ok) return null;
  return {
    query_text: fields.queryText,
    limit: limit.value,
    webhook_url: webhook.value,
    name: fields.name.trim() || null,
  };
}

/** The quote of the search form, only if it was made for exactly the request the form describes. */
export function searchQuote(made: QuoteFor | null, request: SearchRequest | null): Quote | null {
  if (!made || !request) return null;
  const same =
    made.request.query_text === request.query_text &&
    made.request.limit === request.limit &&
    made.request.webhook_url === request.webhook_url &&
    made.request.name === request.name;
  return same ? made.quote : null;
}

export interface SearchForm {
  queryText: string;
  queryHasError: boolean;
  limitText: string;
  webhook: string;
  quote: Quote | null;
}

/** Why Collect is disabled for the search form, in plain words; null when it may be pressed. */
export function searchBlocker(form: SearchForm): string | null {
  if (form.queryText.trim() === "")
    return "Add a condition with a value, or start from a saved search or an example.";
  if (form.queryHasError) return "Fix the search first (the problem is shown under it).";
  const limit = checkLimit(form.limitText);
  if (!limit.ok) return "Fix the number of profiles first.";
  if (!checkWebhook(form.webhook).ok) return "Fix the webhook address first.";
  if (!form.quote) return "The cost is counted first (free).";
  const nothing = nothingNew(form.quote);
  if (nothing) return nothing;
  if (form.quote.records === 0)
    return "Nothing matches this search, so there is nothing to collect.";
  if (limit.value === null && form.quote.matches > MAX_PROFILES) {
    return `This search matches ${formatCount(form.quote.matches)} profiles, but at most 10,000 can be collected at once. Enter a limit, or narrow the search.`;
  }
  return form.quote.shortfall?.message ?? null;
}

/** A price that skips everyone (all already in the library, unchanged): why there is nothing to buy. */
function nothingNew(quote: Quote): string | null {
  if (quote.split === null || quote.records > 0) return null;
  return "You already have everyone this matches, unchanged since you got them: there is nothing new to buy. Find them on the People screen.";
}

/** Why Collect is disabled for the list of people; null when it may be pressed. */
export function listBlocker(
  opened: boolean,
  pick: ListPick | null,
  companyQuote: Quote | null = null,
): string | null {
  if (!opened) return "Choose a file or paste cells first.";
  if (!pick && companyQuote)
    return nothingNew(companyQuote) ?? companyQuote.shortfall?.message ?? null;
  if (!pick) return "Choose the column with employee IDs or LinkedIn profile addresses.";
  if (pick.report.people === 0 || !pick.quote)
    return "Nobody in this column was found in Coresignal's data, so there is nothing to collect.";
  const nothing = nothingNew(pick.quote);
  if (nothing) return nothing;
  // The core says when the known balance cannot pay (and refuses it anyway).
  return pick.quote.shortfall?.message ?? null;
}
