// The New collection form, kept while the user visits other screens.
import type { CostEstimate, IdFilePick, QueryCheck } from "../backend";

export type Tab = "search" | "ids";

/** An estimate together with the query and limit it was made for. */
export interface EstimateFor {
  queryText: string;
  limit: number | null;
  result: CostEstimate;
}

class Draft {
  tab = $state<Tab>("search");
  queryText = $state("");
  limitText = $state("");
  name = $state("");
  webhook = $state("");
  /** The last check, with the text it was made for. */
  check = $state<{ text: string; result: QueryCheck } | null>(null);
  estimate = $state<EstimateFor | null>(null);
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
