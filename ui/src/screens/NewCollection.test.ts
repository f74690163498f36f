// The New collection screen's search: the cost counted by itself, the form, the confirmation, tabs.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { router } from "../lib/stores/router.svelte";
import {
  appStateFixture,
  calls,
  catalogueFixture,
  jobFixture,
  on,
  quoteFixture,
} from "../test/fakeTauri";
import {
  QUERY,
  collectButton,
  counted,
  estimateAndCollect,
  quote,
  start,
  submits,
} from "../test/newCollection";
import NewCollection from "./NewCollection.svelte";

describe("New collection: search", () => {
  it("keeps Collect disabled until an estimate is made, then shows the cost", async () => {
    start();
    expect(collectButton()).toHaveProperty("disabled", true);
    expect(screen.getByText(/The cost is counted first/)).toBeTruthy();
    const summary = await counted();
    expect(summary.textContent).toBe(
      "1,751 people match · you will get 1,751 profiles · 1,751 credits · balance after 3,249",
    );
    expect(collectButton()).toHaveProperty("disabled", false);
    expect(calls).toHaveBeenCalledWith("estimate", {
      request: { query_text: QUERY, limit: 100, webhook_url: null, name: null },
    });
  });

  it("forgets the estimate when the limit, query, name or webhook changes", async () => {
    start();
    await counted();
    await fireEvent.input(screen.getByTestId("limit-input"), { target: { value: "200" } });
    expect(screen.queryByTestId("estimate-summary")).toBeNull();
    expect(collectButton()).toHaveProperty("disabled", true);

    await counted();
    await fireEvent.input(screen.getByTestId("name-input"), { target: { value: "Nurses" } });
    expect(screen.queryByTestId("estimate-summary")).toBeNull();

    await counted();
    await fireEvent.input(screen.getByTestId("webhook-input"), {
      target: { value: "https://example.com/hook" },
    });
    expect(screen.queryByTestId("estimate-summary")).toBeNull();

    await counted();
    draft.queryText = QUERY.replace("engineer", "nurse");
    await waitFor(() => expect(screen.queryByTestId("estimate-summary")).toBeNull());
  });

  it("explains a bad limit and a non-https webhook in plain words", async () => {
    start();
    await fireEvent.input(screen.getByTestId("limit-input"), { target: { value: "20000" } });
    expect(screen.getByText("Enter a number from 1 to 10,000, or leave it empty.")).toBeTruthy();
    expect(screen.getByTestId("limit-input").getAttribute("aria-invalid")).toBe("true");
    await fireEvent.input(screen.getByTestId("limit-input"), { target: { value: "" } });
    await fireEvent.input(screen.getByTestId("webhook-input"), {
      target: { value: "http://example.com/hook" },
    });
    const messages = screen.getAllByTestId("error-message").map((node) => node.textContent);
    expect(messages).toContain(
      "The webhook address must start with https:// (for example https://example.com/hook).",
    );
    // Nothing is counted while the form is wrong.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(calls.mock.calls.filter(([command]) => command === "estimate")).toHaveLength(0);
  });

  it("shows no Check cost while the count comes by itself, and Count again after an error", async () => {
    start();
    let fail = true;
    on("estimate", () => {
      if (fail) throw { code: "Network", message: "Coresignal cannot be reached." };
      return quote;
    });
    expect(screen.queryByRole("button", { name: /Check cost/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Count again" })).toBeNull();
    const again = await screen.findByRole("button", { name: "Count again" }, { timeout: 3000 });
    fail = false;
    await fireEvent.click(again);
    await counted();
    expect(screen.queryByRole("button", { name: "Count again" })).toBeNull();
  });

  it("asks how many profiles in the summary panel, beside the price it decides", () => {
    start();
    const panel = screen.getByRole("complementary", { name: "Summary" });
    expect(within(panel).getByLabelText("How many profiles")).toBe(
      screen.getByTestId("limit-input"),
    );
    expect(within(panel).getByRole("checkbox", { name: "All matches" })).toBeTruthy();
  });

  it("asks for confirmation with the backend's question, then submits the quote", async () => {
    start();
    on("submit", () => jobFixture({ id: 42, name: "Engineers" }));
    await fireEvent.input(screen.getByTestId("name-input"), { target: { value: "Engineers" } });
    const dialog = await estimateAndCollect();

    expect(screen.getByTestId("quote-question").textContent).toBe(quote.question);
    expect(dialog.textContent).toContain("you will get 1,751 profiles");
    expect(document.activeElement?.textContent).toBe("Cancel");
    expect(calls).toHaveBeenCalledWith("estimate", {
      request: { query_text: QUERY, limit: 100, webhook_url: null, name: "Engineers" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));

    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 42 }));
    expect(calls).toHaveBeenCalledWith("submit", { quote: quote.id, again: false });
    // The search is kept, to run again or change; its spent price and the name are not.
    expect(draft.queryText).toBe(QUERY);
    expect(draft.estimate).toBeNull();
    expect(draft.name).toBe("");
  });

  it("asks a second time, naming the credits, above the limit per request", async () => {
    start("live", quoteFixture({ credits: 12000, records: 1200, over_cap: 5000 }));
    on("submit", () => jobFixture({ id: 43 }));
    await estimateAndCollect();
    const yes = screen.getByRole("button", { name: "Yes, collect" });
    await fireEvent.click(yes);
    // A double click on the first yes is not the second one.
    await fireEvent.click(yes);
    expect(submits()).toHaveLength(0);
    expect(screen.getByTestId("over-cap-question").textContent).toContain(
      "This costs 12,000 credits, more than your limit of 5,000 credits per request.",
    );
    expect(document.activeElement?.textContent).toBe("Cancel");
    const second = screen.getByRole("button", { name: "Yes, spend 12,000 credits" });
    await waitFor(() => expect(second).toHaveProperty("disabled", false), { timeout: 3000 });
    await fireEvent.click(second);
    await waitFor(() =>
      expect(calls).toHaveBeenCalledWith("submit", {
        quote: quote.id,
        again: false,
        overCap: 12000,
      }),
    );
  });

  it("counts by itself, for free, once the search stops changing", async () => {
    start();
    await waitFor(() => expect(screen.getByTestId("estimate-summary")).toBeTruthy(), {
      timeout: 2000,
    });
    expect(calls.mock.calls.filter(([command]) => command === "estimate")).toHaveLength(1);
    expect(collectButton().textContent).toBe("Get 1,751 profiles");
    expect(submits()).toHaveLength(0);
  });

  it("starts at 100 profiles and offers every match as a choice", async () => {
    start();
    const limit = screen.getByTestId("limit-input") as HTMLInputElement;
    expect(limit.value).toBe("100");
    await fireEvent.input(limit, { target: { value: "250" } });
    await fireEvent.click(screen.getByRole("checkbox", { name: "All matches" }));
    expect(draft.limitText).toBe("");
    expect(limit.disabled).toBe(true);
    await fireEvent.click(screen.getByRole("checkbox", { name: "All matches" }));
    expect(draft.limitText).toBe("250");
  });

  it("does not count again by itself after a count failed", async () => {
    app.set(appStateFixture({ mode: "live" }));
    on("check_query", ({ text }) => ({
      pretty: String(text),
      warnings: [],
      error: null,
      diagnostics: [],
    }));
    on("estimate", () => {
      throw { code: "Network", message: "Coresignal could not be reached." };
    });
    on("list_jobs", () => []);
    on("query_fields", () => catalogueFixture);
    on("query_to_builder", () => ({ kind: "not_shown", reason: "It uses query_string." }));
    draft.queryText = QUERY;
    render(NewCollection);
    await waitFor(() => expect(calls).toHaveBeenCalledWith("estimate", expect.anything()), {
      timeout: 3000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(calls.mock.calls.filter(([command]) => command === "estimate")).toHaveLength(1);
  });

  it("moves between tabs with the arrow keys", async () => {
    start();
    const search = screen.getByTestId("tab-search");
    search.focus();
    await fireEvent.keyDown(search, { key: "ArrowRight" });
    expect(screen.getByTestId("tab-list").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(screen.getByTestId("tab-list"));
    await fireEvent.keyDown(screen.getByTestId("tab-list"), { key: "Home" });
    expect(screen.getByTestId("tab-search").getAttribute("aria-selected")).toBe("true");
  });
});
