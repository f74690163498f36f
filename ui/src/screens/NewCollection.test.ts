import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ListOpened, ListPick, Quote } from "../lib/backend";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { router } from "../lib/stores/router.svelte";
import {
  appStateFixture,
  calls,
  catalogueFixture,
  jobFixture,
  on,
  listOpenedFixture,
  listPickFixture,
  quoteFixture,
} from "../test/fakeTauri";
import {
  QUERY,
  collectButton,
  counted,
  estimateAndCollect,
  quote,
  scriptBackend,
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

  it("opens an example in the builder, and Rust writes its query code", async () => {
    on("query_fields", () => catalogueFixture);
    on("builder_to_query", ({ search }) => `QUERY FOR ${JSON.stringify(search)}`);
    start();
    await waitFor(() => expect(screen.getByText("Python developers in Germany")).toBeTruthy());
    await fireEvent.change(screen.getByTestId("template-select"), {
      target: { value: "example:python-germany" },
    });
    const value = screen.getByTestId("rule-0-0-value") as HTMLInputElement;
    expect(value.getAttribute("aria-label")).toBe("Rule 1 of group 1: values");
    expect(screen.getByText("Germany")).toBeTruthy();
    await waitFor(() => expect(draft.queryText).toContain("QUERY FOR"));
    expect(draft.queryText).toContain("location_country");
    expect(draft.mode).toBe("builder");
  });

  it("says what the spreadsheet will hold before paying, and that it has no contact details", async () => {
    on("query_fields", () => catalogueFixture);
    on("builder_to_query", ({ search }) => `QUERY FOR ${JSON.stringify(search)}`);
    start();
    await waitFor(() => expect(screen.getByText("Python developers in Germany")).toBeTruthy());
    await fireEvent.change(screen.getByTestId("template-select"), {
      target: { value: "example:python-germany" },
    });
    const columns = await screen.findByTestId("spreadsheet-columns");
    expect(columns.querySelector("summary")?.textContent).toBe("What the spreadsheet will hold");
    expect(columns.textContent).toContain("Current company");
    expect(columns.textContent).toContain("Highest education: degree");
    expect(screen.getByTestId("spreadsheet-no-contact").textContent).toContain(
      "No e-mail addresses or phone numbers",
    );
    // The conditions read as people say them.
    const condition = screen.getByTestId("rule-0-0-condition");
    expect(condition.textContent).toContain("is any of");
    expect(condition.textContent).not.toContain("is one of");
  });

  it("opens a cURL command pasted from Coresignal in the builder, and says the key was not kept", async () => {
    on("query_fields", () => catalogueFixture);
    on("builder_to_query", ({ search }) => `QUERY FOR ${JSON.stringify(search)}`);
    const search = {
      groups: [
        {
          mode: "all" as const,
          rules: [
            { field: "location_country", condition: "is_one_of" as const, values: ["France"] },
          ],
        },
      ],
    };
    on("read_pasted_search", () => ({
      query_text: '{"query": {"terms": {"location_country": ["France"]}}}',
      limit: 5,
      notes: ["The API key in what you pasted was not kept."],
      builder: { kind: "shown", search },
    }));
    start();
    await waitFor(() => expect(screen.getByText("Python developers in Germany")).toBeTruthy());
    await fireEvent.change(screen.getByTestId("template-select"), {
      target: { value: "example:python-germany" },
    });
    const builder = await screen.findByTestId("search-builder");
    const command =
      "curl -X POST 'https://api.coresignal.com/cdapi/v2/employee_clean/search/es_dsl' -H 'apikey: SECRET' -d '{\"query\": {}}'";
    const paste = new Event("paste", { bubbles: true, cancelable: true });
    Object.defineProperty(paste, "clipboardData", {
      value: { getData: () => command },
    });
    builder.dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    await waitFor(() =>
      expect(screen.getByTestId("paste-note").textContent).toContain(
        "The API key in what you pasted was not kept.",
      ),
    );
    expect(calls).toHaveBeenCalledWith("read_pasted_search", { text: command });
    expect(draft.mode).toBe("builder");
    expect(draft.limitText).toBe("5");
    expect(screen.getByText("France")).toBeTruthy();
    expect(document.body.textContent).not.toContain("SECRET");
  });

  it("keeps query code the builder cannot show in the editor, with the reason", async () => {
    on("query_fields", () => catalogueFixture);
    on("query_to_builder", () => ({
      kind: "not_shown",
      reason: "The search uses wildcard, which the builder cannot show.",
    }));
    on("saved_searches", () => [
      {
        id: 2,
        name: "Wild",
        query_text: QUERY,
        limit: 5,
        created_at: "2026-11-29T10:00:00Z",
        updated_at: "2026-11-29T10:00:00Z",
      },
    ]);
    start();
    await waitFor(() => expect(screen.getByText("Wild")).toBeTruthy());
    await fireEvent.change(screen.getByTestId("template-select"), { target: { value: "saved:2" } });
    await waitFor(() =>
      expect(screen.getByTestId("builder-note").textContent).toContain("uses wildcard"),
    );
    expect(draft.mode).toBe("code");
    expect(draft.queryText).toBe(QUERY);
    expect((screen.getByTestId("query-code") as HTMLDetailsElement).open).toBe(true);
  });

  it("keeps a job's search opened with Run again, in the builder when it can show it", async () => {
    on("query_fields", () => catalogueFixture);
    on("query_to_builder", () => ({ kind: "not_shown", reason: "It uses query_string." }));
    on("builder_to_query", () => {
      throw { code: "InvalidQuery", message: "The search has no rules with a value yet." };
    });
    draft.startFrom(QUERY, 40, "Again");
    app.set(appStateFixture({ mode: "live" }));
    scriptBackend();
    render(NewCollection);
    await waitFor(() =>
      expect(screen.getByTestId("builder-note").textContent).toContain("query_string"),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(draft.queryText).toBe(QUERY);
    expect(draft.limitText).toBe("40");
    expect(draft.mode).toBe("code");
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

describe("New collection: list of people", () => {
  const pick = listPickFixture();

  async function choose(opened: ListOpened | null, answer: ListPick = pick) {
    app.set(appStateFixture({ mode: "live", balance: 900 }));
    on("open_list", () => opened);
    on("resolve_list", () => answer);
    on("list_jobs", () => []);
    render(NewCollection);
    await fireEvent.click(screen.getByTestId("tab-list"));
    await fireEvent.click(screen.getByRole("button", { name: "Choose a file…" }));
  }

  it("looks the detected column up, shows the report, then submits the list's quote", async () => {
    await choose(listOpenedFixture());
    expect((await screen.findByTestId("list-report")).textContent).toContain(pick.report.summary);
    expect(calls).toHaveBeenCalledWith("resolve_list", {
      token: "list-1",
      header: { kind: "detect" },
      column: 2,
    });
    expect(screen.getByTestId("estimate-summary").textContent).toBe(
      "you will get 36 profiles · 36 credits · balance after 4,964",
    );
    on("submit", () => jobFixture({ id: 5, kind: "id_file" }));
    await fireEvent.click(collectButton());
    expect(screen.getByTestId("quote-question").textContent).toBe(pick.quote?.question);
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 5 }));
    expect(calls).toHaveBeenCalledWith("submit", { quote: 3, again: false });
  });

  it("prices an expired list quote again before asking", async () => {
    const old = quoteFixture({ id: 13, kind: "id_file", expires_at: "2020-01-01T00:00:00Z" });
    await choose(listOpenedFixture(), listPickFixture({ quote: old }));
    await screen.findByTestId("list-report");
    const fresh = quoteFixture({ id: 14, kind: "id_file" });
    on("requote", () => fresh);
    await fireEvent.click(collectButton());
    await screen.findByTestId("quote-requoted");
    expect(calls).toHaveBeenCalledWith("requote", { quote: 13 });
    expect(draft.pick?.quote?.id).toBe(14);
  });

  it("offers a list over 10,000 people as batches, as information", async () => {
    const message = "These 25,000 go as 3 batches, priced and confirmed together.";
    const quote = quoteFixture({
      id: 4,
      kind: "id_file",
      records: 25_000,
      batches: 3,
      balance: 100_000,
    });
    await choose(listOpenedFixture(), listPickFixture({ quote, batches_message: message }));
    expect((await screen.findByTestId("batches-message")).textContent).toBe(message);
    expect(screen.getByTestId("batches-message").getAttribute("role")).toBeNull();
    expect(collectButton()).toHaveProperty("disabled", false);
  });

  it("does nothing when the chooser is cancelled", async () => {
    await choose(null);
    await waitFor(() => expect(calls).toHaveBeenCalledWith("open_list", {}));
    expect(screen.queryByTestId("list-columns")).toBeNull();
    expect(screen.getByText("Choose a file or paste cells first.")).toBeTruthy();
  });

  it("reads pasted cells", async () => {
    app.set(appStateFixture({ mode: "live" }));
    on("paste_list", () => listOpenedFixture({ source: "Pasted cells" }));
    on("resolve_list", () => pick);
    on("list_jobs", () => []);
    render(NewCollection);
    await fireEvent.click(screen.getByTestId("tab-list"));
    const read = screen.getByRole("button", { name: "Read the pasted cells" });
    expect(read).toHaveProperty("disabled", true);
    const cells = "LinkedIn URL\nlinkedin.com/in/ada\nalan-t";
    await fireEvent.input(screen.getByLabelText("Cells copied from a spreadsheet"), {
      target: { value: cells },
    });
    await fireEvent.click(read);
    expect(calls).toHaveBeenCalledWith("paste_list", { text: cells });
    expect((await screen.findByTestId("list-columns")).textContent).toContain("Pasted cells");
    await screen.findByTestId("list-report");
  });
});
