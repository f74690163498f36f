import { describe, expect, it } from "vitest";
import type { IdFilePick } from "./backend";
import {
  confirmQuestion,
  costSummary,
  idBlocker,
  idCost,
  searchBlocker,
  searchCost,
  type SearchForm,
} from "./collect";

const result = { matches: 1751, records: 1751, credits: 1751, balance: 5000 };
const estimate = { queryText: "{}", limit: null, result };

const pick = (overrides: Partial<IdFilePick> = {}): IdFilePick => ({
  pick: 7,
  file_name: "ids.csv",
  valid: 480,
  total_lines: 500,
  blank_lines: 3,
  header: "id",
  duplicates_removed: 16,
  problems: [],
  problem_lines: 0,
  summary: "480 IDs are ready.",
  too_many_message: null,
  credits: 480,
  ...overrides,
});

describe("the estimate", () => {
  it("holds only for the query and limit it was made for", () => {
    expect(searchCost(estimate, "{}", "")).toBe(result);
    expect(searchCost(estimate, "{ }", "")).toBeNull();
    expect(searchCost(estimate, "{}", "10")).toBeNull();
    expect(searchCost(estimate, "{}", "0")).toBeNull();
    expect(searchCost(null, "{}", "")).toBeNull();
  });

  it("reads as profiles, credits and balance", () => {
    expect(costSummary(result)).toBe("≈ 1,751 profiles · ≈ 1,751 credits · balance 5,000");
    expect(costSummary({ ...result, balance: null })).toBe("≈ 1,751 profiles · ≈ 1,751 credits");
    expect(confirmQuestion(result)).toBe("Collect ≈ 1,751 profiles for ≈ 1,751 credits?");
  });

  it("of an ID file is its valid count and credits", () => {
    expect(idCost(pick(), 9)).toEqual({ records: 480, credits: 480, matches: 480, balance: 9 });
    expect(idCost(pick({ too_many_message: "Too many" }), 9)).toBeNull();
    expect(idCost(null, 9)).toBeNull();
  });
});

describe("searchBlocker", () => {
  const form: SearchForm = {
    queryText: "{}",
    queryHasError: false,
    limitText: "",
    webhook: "",
    cost: result,
  };

  it("allows Collect once estimated and valid", () => {
    expect(searchBlocker(form)).toBeNull();
  });

  it("says what is missing, in order", () => {
    expect(searchBlocker({ ...form, queryText: " " })).toMatch(/query or pick a template/);
    expect(searchBlocker({ ...form, queryHasError: true })).toMatch(/Fix the query/);
    expect(searchBlocker({ ...form, limitText: "0" })).toMatch(/number of profiles/);
    expect(searchBlocker({ ...form, webhook: "http://x" })).toMatch(/webhook/);
    expect(searchBlocker({ ...form, cost: null })).toMatch(/Press Estimate/);
    expect(searchBlocker({ ...form, cost: { ...result, records: 0 } })).toMatch(/Nothing matches/);
  });

  it("asks for a limit when more than 10,000 match and none is set", () => {
    const many = { ...result, matches: 25_000, records: 25_000 };
    expect(searchBlocker({ ...form, cost: many })).toMatch(/matches 25,000 profiles/);
    expect(searchBlocker({ ...form, limitText: "500", cost: many })).toBeNull();
  });
});

describe("idBlocker", () => {
  it("needs a file with valid IDs, not too many, and a valid webhook", () => {
    expect(idBlocker({ pick: null, webhook: "" })).toMatch(/Choose a file/);
    expect(idBlocker({ pick: pick({ too_many_message: "Split it." }), webhook: "" })).toBe(
      "Split it.",
    );
    expect(idBlocker({ pick: pick({ valid: 0 }), webhook: "" })).toMatch(/no valid IDs/);
    expect(idBlocker({ pick: pick(), webhook: "ftp://x" })).toMatch(/webhook/);
    expect(idBlocker({ pick: pick(), webhook: "" })).toBeNull();
  });
});
