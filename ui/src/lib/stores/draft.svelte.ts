// The New collection form, kept while the user visits other screens.
import type {
  HeaderChoice,
  ListPick,
  ListPreview,
  QueryCheck,
  Quote,
  Search,
  SearchRequest,
} from "../backend";

export type Tab = "search" | "list";

/** A list of people opened or pasted: its token, the header row asked for, and its columns. */
export interface OpenedList {
  token: string;
  header: HeaderChoice;
  preview: ListPreview;
}

/** How many profiles a new search asks for until the person says otherwise. */
export const DEFAULT_LIMIT = "100";

/** A quote together with the request it prices (it holds only while the form still says that). */
export interface QuoteFor {
  request: SearchRequest;
  quote: Quote;
}

class Draft {
  tab = $state<Tab>("search");
  queryText = $state("");
  /** New searches start at 100 profiles; empty means every match (at most 10,000). */
  limitText = $state(DEFAULT_LIMIT);
  name = $state("");
  webhook = $state("");
  /** The search is made in the builder, or written as query code. */
  mode = $state<"builder" | "code">("builder");
  /** The builder's search (null until the field catalogue is loaded). */
  builder = $state<Search | null>(null);
  /** Why the builder cannot show the query code, when it cannot. */
  builderNote = $state<string | null>(null);
  /** The saved search on screen, if one was opened or saved. */
  savedId = $state<number | null>(null);
  /** The last check, with the text it was made for. */
  check = $state<{ text: string; result: QueryCheck } | null>(null);
  /** The price of the search, with the request it was made for. */
  estimate = $state<QuoteFor | null>(null);
  /** The list of people opened or pasted, while its header row and column are chosen. */
  list = $state<OpenedList | null>(null);
  /** The list's column looked up: the report by row and its price (`pick.quote`). */
  pick = $state<ListPick | null>(null);
  /** A companies column too long for one search: the price of everyone at them. */
  companyQuote = $state<Quote | null>(null);

  /** After a successful submit: the search stays (to run again or change), its spent price goes. */
  sent(): void {
    this.name = "";
    this.check = null;
    this.estimate = null;
    this.list = null;
    this.pick = null;
    this.companyQuote = null;
  }

  /** Puts an earlier search in the form (Run again / Edit as new on a job). */
  startFrom(queryText: string, limit: number | null, name: string): void {
    this.reset();
    this.tab = "search";
    // Query code until the Search tab reads it into the builder (when the builder can show it).
    this.mode = "code";
    this.queryText = queryText;
    this.limitText = limit === null ? "" : String(limit);
    this.name = name;
  }

  /** Clears everything: a new, empty search. */
  reset(): void {
    this.queryText = "";
    this.limitText = DEFAULT_LIMIT;
    this.savedId = null;
    this.mode = "builder";
    this.builder = null;
    this.builderNote = null;
    this.name = "";
    this.webhook = "";
    this.check = null;
    this.estimate = null;
    this.list = null;
    this.pick = null;
    this.companyQuote = null;
  }
}

export const draft = new Draft();
