import { describe, expect, it } from "vitest";
import { listPickFixture, listReportFixture, quoteFixture } from "../test/fakeTauri";
import {
  listBlocker,
  searchBlocker,
  searchQuote,
  searchRequest,
  type SearchForm,
  type SearchFields,
} from "./collect";

const quote = quoteFixture();
const fields: SearchFields = { queryText: "{}", limitText: "", webhook: "", name: "" };
const made = { request: { query_text: "{}", limit: null, webhook_url: null, name: null }, quote };

describe("the search's quote", () => {
  it("holds only for the query, limit, name and webhook it was made for", () => {
    const holds = (changed: Partial<SearchFields>) =>
      searchQuote(made, searchRequest({ ...fields, ...changed }));
    expect(holds({})).toBe(quote);
    expect(holds({ queryText: "{ }" })).toBeNull();
    expect(holds({ limitText: "10" })).toBeNull();
    expect(holds({ limitText: "0" })).toBeNull();
    expect(holds({ name: "Engineers" })).toBeNull();
    expect(holds({ name: "   " })).toBe(quote);
    expect(holds({ webhook: "https://example.com/hook" })).toBeNull();
    expect(searchQuote(null, searchRequest(fields))).toBeNull();
  });

  it("is asked for with the request the form describes", () => {
    expect(
      searchRequest({ queryText: "{}", limitText: "25", webhook: "", name: " Chefs " }),
    ).toEqual({ query_text: "{}", limit: 25, webhook_url: null, name: "Chefs" });
    expect(searchRequest({ ...fields, webhook: "http://x" })).toBeNull();
  });
});

describe("searchBlocker", () => {
  const form: SearchForm = {
    queryText: "{}",
    queryHasError: false,
    limitText: "",
    webhook: "",
    quote,
  };

  it("allows Collect once estimated and valid", () => {
    expect(searchBlocker(form)).toBeNull();
  });

  it("says what is missing, in order", () => {
    expect(searchBlocker({ ...form, queryText: " " })).toMatch(/Add a condition with a value/);
    expect(searchBlocker({ ...form, queryHasError: true })).toMatch(/Fix the search first/);
    expect(searchBlocker({ ...form, limitText: "0" })).toMatch(/number of profiles/);
    expect(searchBlocker({ ...form, webhook: "http://x" })).toMatch(/webhook/);
    expect(searchBlocker({ ...form, quote: null })).toMatch(/The cost is counted first/);
    expect(searchBlocker({ ...form, quote: { ...quote, records: 0 } })).toMatch(/Nothing matches/);
  });

  it("says there is nothing new to buy when everyone is already in the library", () => {
    const held = {
      ...quote,
      records: 0,
      credits: 0,
      split: { new: 0, changed: 0, held: 25, saved_credits: 25, summary: "25 match." },
    };
    expect(searchBlocker({ ...form, quote: held })).toMatch(/nothing new to buy/);
    expect(listBlocker(true, listPickFixture({ quote: held }))).toMatch(/nothing new to buy/);
    const some = { ...held, records: 5, split: { ...held.split, new: 5, held: 20 } };
    expect(searchBlocker({ ...form, quote: some })).toBeNull();
  });

  it("asks for a limit when more than 10,000 match and none is set", () => {
    const many = { ...quote, matches: 25_000, records: 25_000 };
    expect(searchBlocker({ ...form, quote: many })).toMatch(/matches 25,000 profiles/);
    expect(searchBlocker({ ...form, limitText: "500", quote: many })).toBeNull();
  });
});

describe("a balance that cannot pay", () => {
  it("blocks Collect with the core's figures, for a search and for a list", () => {
    const short = quoteFixture({ records: 250, credits: 2500, balance: 1800 });
    const form: SearchForm = {
      queryText: "{}",
      queryHasError: false,
      limitText: "",
      webhook: "",
      quote: short,
    };
    expect(searchBlocker(form)).toBe("This needs 2,500 credits; you have 1,800.");
    expect(listBlocker(true, listPickFixture({ quote: short }))).toBe(
      "This needs 2,500 credits; you have 1,800.",
    );
  });
});

describe("listBlocker", () => {
  it("needs a list, a column looked up, and someone found", () => {
    expect(listBlocker(false, null)).toMatch(/Choose a file or paste cells/);
    expect(listBlocker(true, null)).toMatch(/Choose the column/);
    const long = listPickFixture({ batches_message: "It goes as 3 batches." });
    expect(listBlocker(true, long), "a long list is sent in batches, not refused").toBeNull();
    const nobody = listPickFixture({ report: listReportFixture({ people: 0 }), quote: null });
    expect(listBlocker(true, nobody)).toMatch(/nothing to collect/);
    expect(listBlocker(true, listPickFixture())).toBeNull();
  });
});
