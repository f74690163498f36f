// The New collection form, kept while the user visits other screens.
import type { IdFilePick, QueryCheck, Quote, SearchRequest } from "../backend";

export type Tab = "search" | "ids";

/** A quote together with the request it prices (it holds only while the form still says that). */
export interface QuoteFor {
  request: SearchRequest;
  quote: Quote;
}

class Draft {
  tab = $state<Tab>("search");
  queryText = $state("");
  limitText = $state("");
  name = $state("");
  webhook = $state("");
  /** The last check, with the text it was made for. */
  check = $state<{ text: string; result: QueryCheck } | null>(null);
  /** The price of the search, with the request it was made for. */
  estimate = $state<QuoteFor | null>(null);
  /** The picked ID file, with its price (`pick.quote`). */
  pick = $state<IdFilePick | null>(null);

  /** Clears everything after a successful submit. */
  reset(): void {
    this.queryText = "";
    this.limitText = "";
    this.name = "";
    this.webhook = "";
    this.check = null;
    this.estimate = null;
    this.pick = null;
  }
}

export const draft = new Draft();
