// Confirming a quote: the one way a request is sent. A quote that ran out of time is priced again
// and must be confirmed again; nothing is ever sent without a confirmation of the price shown.
import { requote, submit, toBackendError, type JobRow, type Quote } from "./backend";
import { countOf, formatCount, practiceNote } from "./format";

/** What confirming a quote led to: the job it made, or a new price to confirm first. */
export type Outcome = { sent: JobRow } | { requoted: Quote };

/** True when the quote's data was collected before: the confirmation is "Collect again". */
export function isAgain(quote: Quote): boolean {
  return quote.earlier.length > 0;
}

/** True when the quote's time ran out by this computer's clock (the backend decides in the end). */
export function isExpired(quote: Quote, now = Date.now()): boolean {
  const until = Date.parse(quote.expires_at);
  return !Number.isNaN(until) && until <= now;
}

/**
 * Sends the quote's request (call only after the person confirmed it, twice when it is over their
 * limit per request). `again` is passed as given,
 * or as {@link isAgain} when omitted. When the quote expired, the request is priced again and
 * the new quote is returned for a new confirmation; other errors are thrown as BackendError.
 */
export async function confirmQuote(quote: Quote, again = isAgain(quote)): Promise<Outcome> {
  // Over the limit per request, QuoteDialog asked a second time, naming the credits: that second
  // yes is what `overCap` carries (the core refuses the request without it).
  const overCap = quote.over_cap !== null ? quote.credits : null;
  try {
    return { sent: await submit(quote.id, again, overCap) };
  } catch (error) {
    const backend = toBackendError(error);
    // Expired, or over a limit per request set after it was priced: nothing was sent; price it
    // again, and the new price is confirmed again (twice when over the limit).
    const again =
      backend.code === "QuoteExpired" || (backend.code === "OverCap" && overCap === null);
    if (!again) throw backend;
    return { requoted: await requote(quote.id) };
  }
}

/**
 * True when the price skips people already in the library: getting everyone again is one click
 * away (an explicit "again", priced by the core).
 */
export function skipsHeldPeople(quote: Quote): boolean {
  return quote.split !== null && quote.split.held > 0;
}

/**
 * The split's sentence about the people already held: how many, what skipping them saves, and
 * where they come from, naming the team library for those only the team holds ("Your team already
 * has 10 people: … come from the team library."). Null when nobody is held.
 */
export function heldSentence(quote: Quote): string | null {
  const split = quote.split;
  if (split === null || split.held === 0) return null;
  const team = Math.min(quote.team?.held ?? 0, split.held);
  const own = split.held - team;
  const people = countOf(split.held, "person", "people");
  const who =
    team === 0
      ? `You already have ${people}`
      : own === 0
        ? `Your team already has ${people}`
        : `You and your team already have ${people}`;
  const from =
    team === 0
      ? "your people library"
      : own === 0
        ? "the team library"
        : `your people library (${formatCount(own)}) and the team library (${formatCount(team)})`;
  const skipped = quote.practice
    ? "they are skipped and come from"
    : `they are skipped, saving ${countOf(split.saved_credits, "credit", "credits")}, and come from`;
  return `${split.summary} ${who}: ${skipped} ${from}.`;
}

/**
 * "1,751 people match · you will get 25 profiles · 25 credits · balance after 4,975"; in Practice
 * "… · Practice: nothing is spent (a real account would pay 25 credits)", with no balance. A price
 * that skips people already in the library says how many: "· 40 already yours (skipped)".
 */
export function quoteSummary(quote: Quote): string {
  const parts: string[] = [];
  if (quote.kind === "es_dsl" || quote.split !== null) {
    parts.push(
      `${formatCount(quote.matches)} ${quote.matches === 1 ? "person matches" : "people match"}`,
    );
  }
  if (quote.split !== null && quote.split.held > 0) {
    parts.push(`${formatCount(quote.split.held)} already yours (skipped)`);
  }
  parts.push(
    `you will get ${formatCount(quote.records)} ${quote.records === 1 ? "profile" : "profiles"}`,
  );
  if (quote.practice) {
    parts.push(practiceNote(quote.credits));
    return parts.join(" · ");
  }
  parts.push(`${formatCount(quote.credits)} credits`);
  if (quote.balance !== null) {
    parts.push(
      quote.shortfall === null
        ? `balance after ${formatCount(quote.balance - quote.credits)}`
        : `balance ${formatCount(quote.balance)}`,
    );
  }
  return parts.join(" · ");
}

/** The main button, named for what it does: "Get 100 profiles" (or "Get profiles" before a price). */
export function collectLabel(quote: Quote | null): string {
  if (!quote) return "Get profiles";
  return `Get ${formatCount(quote.records)} ${quote.records === 1 ? "profile" : "profiles"}`;
}
