import { describe, expect, it } from "vitest";
import { calls, on, quoteFixture } from "../test/fakeTauri";
import { BackendError } from "./backend";
import {
  collectLabel,
  confirmQuote,
  heldSentence,
  isAgain,
  isExpired,
  quoteSummary,
  skipsHeldPeople,
} from "./quotes";

const earlier = {
  id: 4,
  name: "Engineers",
  state: "downloaded" as const,
  sent_at: "2026-02-20T09:00:00Z",
  records: 25,
};

describe("quotes", () => {
  it("read as matches, profiles, credits and the balance after", () => {
    expect(quoteSummary(quoteFixture({ matches: 1751, records: 25, credits: 25 }))).toBe(
      "1,751 people match · you will get 25 profiles · 25 credits · balance after 4,975",
    );
    expect(quoteSummary(quoteFixture({ kind: "id_file", records: 480, balance: null }))).toBe(
      "you will get 480 profiles · 480 credits",
    );
    expect(quoteSummary(quoteFixture({ records: 6000 }))).toContain("balance 5,000");
  });

  it("say how many are already yours when the price skips them", () => {
    const split = { new: 60, changed: 0, held: 40, saved_credits: 40, summary: "100 match." };
    const quote = quoteFixture({ kind: "id_file", matches: 100, records: 60, split });
    expect(quoteSummary(quote)).toBe(
      "100 people match · 40 already yours (skipped) · you will get 60 profiles · 60 credits · balance after 4,940",
    );
    expect(skipsHeldPeople(quote)).toBe(true);
    expect(skipsHeldPeople(quoteFixture())).toBe(false);
    expect(skipsHeldPeople(quoteFixture({ split: { ...split, held: 0 } }))).toBe(false);
  });

  it("say where the people already held come from, naming the team library for the team's", () => {
    const split = { new: 60, changed: 0, held: 10, saved_credits: 100, summary: "70 match." };
    const team = {
      reachable: true,
      held: 10,
      colleague: "Anna",
      on: "2026-05-03T09:00:00Z",
      saved_credits: 100,
      summary: "Your team already has 10 of these (Anna, 3 May): skip them and save 100 credits.",
      earlier: [],
    };
    expect(heldSentence(quoteFixture({ split }))).toBe(
      "70 match. You already have 10 people: they are skipped, saving 100 credits, and come from your people library.",
    );
    expect(heldSentence(quoteFixture({ split, team }))).toBe(
      "70 match. Your team already has 10 people: they are skipped, saving 100 credits, and come from the team library.",
    );
    expect(heldSentence(quoteFixture({ split, team: { ...team, held: 4 } }))).toBe(
      "70 match. You and your team already have 10 people: they are skipped, saving 100 credits, and come from your people library (6) and the team library (4).",
    );
    expect(heldSentence(quoteFixture({ split, practice: true }))).toBe(
      "70 match. You already have 10 people: they are skipped and come from your people library.",
    );
    expect(heldSentence(quoteFixture({ split: { ...split, held: 0 } }))).toBeNull();
    expect(heldSentence(quoteFixture())).toBeNull();
  });

  it("in Practice read as what a real account would pay, with no balance", () => {
    expect(
      quoteSummary(quoteFixture({ matches: 1751, records: 25, credits: 25, practice: true })),
    ).toBe(
      "1,751 people match · you will get 25 profiles · Practice: nothing is spent (a real account would pay 25 credits)",
    );
  });

  it("name the main button for what it does", () => {
    expect(collectLabel(null)).toBe("Get profiles");
    expect(collectLabel(quoteFixture({ records: 100 }))).toBe("Get 100 profiles");
    expect(collectLabel(quoteFixture({ records: 1 }))).toBe("Get 1 profile");
    expect(collectLabel(quoteFixture({ records: 2500 }))).toBe("Get 2,500 profiles");
  });

  it("are sent with again = true only when the data was collected before", async () => {
    on("submit", () => ({ id: 1 }));
    expect(isAgain(quoteFixture())).toBe(false);
    await confirmQuote(quoteFixture({ id: 5 }));
    expect(calls).toHaveBeenLastCalledWith("submit", { quote: 5, again: false });
    expect(isAgain(quoteFixture({ earlier: [earlier] }))).toBe(true);
    await confirmQuote(quoteFixture({ id: 6, earlier: [earlier] }));
    expect(calls).toHaveBeenLastCalledWith("submit", { quote: 6, again: true });
  });

  it("expire at expires_at by this computer's clock", () => {
    const quote = quoteFixture({ expires_at: "2026-03-01T10:05:00Z" });
    expect(isExpired(quote, Date.parse("2026-03-01T10:04:59Z"))).toBe(false);
    expect(isExpired(quote, Date.parse("2026-03-01T10:05:00Z"))).toBe(true);
    expect(isExpired(quoteFixture({ expires_at: "not a time" }))).toBe(false);
  });

  it("are priced again, not sent, when they expired", async () => {
    on("submit", () => {
      throw { code: "QuoteExpired", message: "The price shown is more than 5 minutes old." };
    });
    on("requote", ({ quote }) => quoteFixture({ id: Number(quote) + 1 }));
    const outcome = await confirmQuote(quoteFixture({ id: 5 }));
    expect(outcome).toEqual({ requoted: quoteFixture({ id: 6 }) });
    expect(calls).toHaveBeenLastCalledWith("requote", { quote: 5 });
  });

  it("are priced again when a limit per request was set after the price was checked", async () => {
    on("submit", () => {
      throw { code: "OverCap", message: "This collection costs 12,000 credits, above your limit." };
    });
    on("requote", () => quoteFixture({ id: 9, credits: 12000, over_cap: 5000 }));
    const outcome = await confirmQuote(quoteFixture({ id: 8 }));
    expect(outcome).toEqual({ requoted: quoteFixture({ id: 9, credits: 12000, over_cap: 5000 }) });
    expect(calls).toHaveBeenCalledWith("submit", { quote: 8, again: false });
  });

  it("pass other errors on with the job they point at", async () => {
    on("submit", () => {
      throw {
        code: "QuoteSpent",
        message: "This price was already used to send a collection (Collection 8).",
        job: 8,
      };
    });
    const error = await confirmQuote(quoteFixture()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: "QuoteSpent", job: 8 });
  });
});
