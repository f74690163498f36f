// The New collection screen's builder: examples, saved and pasted searches, Run again, columns.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { appStateFixture, calls, catalogueFixture, on } from "../test/fakeTauri";
import { QUERY, scriptBackend, start } from "../test/newCollection";
import NewCollection from "./NewCollection.svelte";

/** The screen started with the Python example opened in the builder (Rust writes `QUERY FOR …`). */
async function openPythonExample() {
  on("query_fields", () => catalogueFixture);
  on("builder_to_query", ({ search }) => `QUERY FOR ${JSON.stringify(search)}`);
  start();
  await waitFor(() => expect(screen.getByText("Python developers in Germany")).toBeTruthy());
  await fireEvent.change(screen.getByTestId("template-select"), {
    target: { value: "example:python-germany" },
  });
}

describe("New collection: search", () => {
  it("opens an example in the builder, and Rust writes its query code", async () => {
    await openPythonExample();
    const value = screen.getByTestId("rule-0-0-value") as HTMLInputElement;
    expect(value.getAttribute("aria-label")).toBe("Rule 1 of group 1: values");
    expect(screen.getByText("Germany")).toBeTruthy();
    await waitFor(() => expect(draft.queryText).toContain("QUERY FOR"));
    expect(draft.queryText).toContain("location_country");
    expect(draft.mode).toBe("builder");
  });

  it("says what the spreadsheet will hold before paying, and that it has no contact details", async () => {
    await openPythonExample();
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
    await openPythonExample();
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
});
