import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { CompanyReport, ListPick } from "../lib/backend";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import {
  appStateFixture,
  calls,
  columnFixture,
  emitEvent,
  listOpenedFixture,
  listPickFixture,
  listPreviewFixture,
  listReportFixture,
  on,
  quoteFixture,
} from "../test/fakeTauri";
import ListTab from "./ListTab.svelte";

const resolves = () => calls.mock.calls.filter(([command]) => command === "resolve_list");

async function open(answer: () => ListPick | Promise<ListPick> = () => listPickFixture()) {
  app.set(appStateFixture());
  on("open_list", () => listOpenedFixture());
  on("resolve_list", answer);
  render(ListTab);
  await fireEvent.click(screen.getByRole("button", { name: "Choose a file…" }));
  await screen.findByTestId("list-columns");
}

describe("List of people: the column picker", () => {
  it("says what an ID is, that addresses are looked up for free, and what is not enough", () => {
    render(ListTab);
    expect(screen.getByText(/linkedin\.com\/in\//)).toBeTruthy();
    const what = screen.getByTestId("list-what").textContent ?? "";
    expect(what).toMatch(/Coresignal's own number for a person, such as 123456789/);
    expect(what).toMatch(/LinkedIn profile addresses work too/);
    expect(what).toMatch(/free searches before anything is\s+spent/);
    expect(what).toMatch(/E-mail addresses are not IDs/);
    // Past 10,000: what happens, as information (not an error).
    const batches = screen.getByTestId("list-batches-hint");
    expect(batches.textContent).toMatch(/batches of 10,000, one after another/);
    expect(batches.textContent).toMatch(/price you confirm covers every batch/);
    expect(batches.className).toContain("info");
  });

  it("shows the header row and every column, the detected one chosen, with what it holds", async () => {
    await open();
    expect(screen.getByTestId("list-header").textContent).toMatch(
      /Row 1 holds the column names \(found by the app\)/,
    );
    const select = screen.getByLabelText<HTMLSelectElement>("Column names are in");
    expect(select.value).toBe("1");
    const group = screen.getByRole("group", { name: "Which column names the people?" });
    const radios = within(group).getAllByRole<HTMLInputElement>("radio");
    expect(radios.map((radio) => radio.checked)).toEqual([false, false, true, false]);
    const linkedin = screen.getByRole("radio", { name: "LinkedIn URL" });
    expect(linkedin.getAttribute("aria-describedby")).toBe("list-column-2-about");
    const about = document.getElementById("list-column-2-about")?.textContent ?? "";
    expect(about).toContain("LinkedIn profile addresses");
    expect(about).toContain("40 of 41 values usable");
    expect(about).toContain("“https://www.linkedin.com/in/ada-lovelace/”, “linkedin.com/in/grace”");
    expect(document.getElementById("list-column-1-about")?.textContent).toContain("companies");
    // Detected addresses are looked up at once: it is free.
    await screen.findByTestId("list-report");
    expect(resolves()).toHaveLength(1);
  });

  it("previews and looks up again when another column is chosen", async () => {
    await open();
    await screen.findByTestId("list-report");
    const ids = listPreviewFixture({ chosen: 3 });
    on("preview_list", () => ids);
    await fireEvent.click(screen.getByRole("radio", { name: "CRM id" }));
    expect(calls).toHaveBeenCalledWith("preview_list", {
      token: "list-1",
      header: { kind: "detect" },
      column: 3,
    });
    await waitFor(() => expect(resolves()).toHaveLength(2));
    expect(resolves()[1]?.[1]).toEqual({ token: "list-1", header: { kind: "detect" }, column: 3 });
    expect(screen.getByRole<HTMLInputElement>("radio", { name: "CRM id" }).checked).toBe(true);
  });

  it("previews again with another row of column names, or none", async () => {
    await open();
    await screen.findByTestId("list-report");
    on("preview_list", () =>
      listPreviewFixture({ header_row: null, header_detected: false, chosen: null }),
    );
    await fireEvent.change(screen.getByLabelText("Column names are in"), {
      target: { value: "none" },
    });
    expect(calls).toHaveBeenCalledWith("preview_list", {
      token: "list-1",
      header: { kind: "none" },
      column: null,
    });
    expect((await screen.findByTestId("list-no-column")).textContent).toMatch(/No column holds/);
    expect(screen.getByTestId("list-header").textContent).toMatch(/no row of column names/);
    expect(resolves()).toHaveLength(1);
    expect(draft.pick).toBeNull();
  });

  it("does not look a column of companies up, and offers to find the people at them", async () => {
    await open();
    await screen.findByTestId("list-report");
    on("preview_list", () => listPreviewFixture({ chosen: 1 }));
    await fireEvent.click(screen.getByRole("radio", { name: "Company" }));
    const note = await screen.findByTestId("list-companies");
    expect(note.textContent).toMatch(/holds companies/);
    expect(note.textContent).toMatch(/Current company is one\s+of/);
    expect(resolves()).toHaveLength(1);
    expect(screen.queryByTestId("list-report")).toBeNull();
    expect(draft.pick).toBeNull();
  });

  it("does not look up a list whose detected column holds companies", async () => {
    app.set(appStateFixture());
    const companies = listPreviewFixture({
      columns: [columnFixture({ index: 0, name: "Company", kind: "companies" })],
      chosen: 0,
    });
    on("open_list", () => ({ token: "list-2", preview: companies }));
    render(ListTab);
    await fireEvent.click(screen.getByRole("button", { name: "Choose a file…" }));
    await screen.findByTestId("list-companies");
    expect(resolves()).toHaveLength(0);
  });

  it("keeps the newest choice when the person changes the column during a lookup", async () => {
    let finishFirst: (pick: ListPick) => void = () => {};
    await open(() => new Promise<ListPick>((resolve) => (finishFirst = resolve)));
    const linkedin = screen.getByRole("radio", { name: "LinkedIn URL" });
    expect(linkedin).toHaveProperty("disabled", false);
    on("preview_list", () => listPreviewFixture({ chosen: 3 }));
    const ids = listPickFixture({ report: listReportFixture({ summary: "42 employee IDs." }) });
    on("resolve_list", () => ids);
    await fireEvent.click(screen.getByRole("radio", { name: "CRM id" }));
    await waitFor(() => expect(draft.pick?.report.summary).toBe("42 employee IDs."));
    finishFirst(listPickFixture());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(draft.pick?.report.summary, "the older lookup's answer is dropped").toBe(
      "42 employee IDs.",
    );
    expect(screen.getByTestId("list-summary").textContent).toBe("42 employee IDs.");
    expect(screen.queryByTestId("list-progress")).toBeNull();
  });

  it("shows the lookup's progress, and announces only its start and its end", async () => {
    let finish: (pick: ListPick) => void = () => {};
    await open(() => new Promise<ListPick>((resolve) => (finish = resolve)));
    const announcement = screen.getByTestId("list-announcement");
    expect(announcement.getAttribute("aria-live")).toBe("polite");
    expect(announcement.textContent).toMatch(/Looking up the people in “LinkedIn URL”/);
    emitEvent("list-lookup", { done: 12, planned: 40 });
    await waitFor(() =>
      expect(screen.getByTestId("list-progress").textContent).toBe(
        "Looking up 12 of 40 … (free searches)",
      ),
    );
    expect(screen.getByTestId("list-progress").getAttribute("aria-live")).toBeNull();
    expect(announcement.textContent).toMatch(/Looking up the people/);
    finish(listPickFixture());
    await screen.findByTestId("list-report");
    expect(announcement.textContent).toMatch(/^\s*Lookup finished\. 37 of 41 rows/);
    expect(screen.queryByTestId("list-progress")).toBeNull();
  });
});

describe("List of people: the report", () => {
  it("lists each outcome by row", async () => {
    await open();
    const report = await screen.findByTestId("list-report");
    expect(report.textContent).toContain(listReportFixture().summary);
    expect(screen.getByTestId("list-found").textContent).toBe("37 of 41");
    const rows = (testid: string) =>
      within(screen.getByTestId(testid))
        .getAllByRole("row")
        .slice(1)
        .map((row) => Array.from((row as HTMLTableRowElement).cells, (cell) => cell.textContent));
    expect(rows("list-not-found")).toEqual([["7", "linkedin.com/in/nobody-here"]]);
    expect(rows("list-duplicates")).toEqual([["9", "alan-t", "3003", "4"]]);
    expect(rows("list-several")).toEqual([
      [
        "12",
        "linkedin.com/in/sam",
        "5005, 5006",
        "5006",
        "5006 uses this address now; 5005 used it before.",
      ],
    ]);
    // The rows not used are all in the column read: its name is said once, in the caption.
    expect(screen.getByRole("table", { name: "Rows not used (column “LinkedIn URL”)" })).toBe(
      screen.getByTestId("list-problems"),
    );
    expect(rows("list-problems")).toEqual([
      [
        "15",
        "https://www.linkedin.com/company/acme/",
        "This is a company page, not a person's profile.",
      ],
    ]);
    expect(screen.getByRole("table", { name: "Not in Coresignal's data" })).toBeTruthy();
  });

  it("names the column of each row not used when it is not the column read", async () => {
    const problems = [{ row: 3, column: "Profile", text: "ann@example.com", reason: "An e-mail." }];
    await open(() => listPickFixture({ report: listReportFixture({ problems }) }));
    const table = await screen.findByTestId("list-problems");
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["Row", "Column", "As written", "Why"]);
    expect(table.textContent).toContain("Profile");
  });

  it("cuts a long table to its first 100 rows and says how many more", async () => {
    const not_found = Array.from({ length: 250 }, (_, i) => ({ row: i + 2, value: `x-${i}` }));
    await open(() => listPickFixture({ report: listReportFixture({ not_found }) }));
    const table = await screen.findByTestId("list-not-found");
    expect(within(table).getAllByRole("row")).toHaveLength(101);
    expect(screen.getByText("…and 150 more (the CSV has all).")).toBeTruthy();
  });

  it("saves the rows not found where the person says", async () => {
    await open();
    await screen.findByTestId("list-report");
    on("save_not_found", () => "/home/user/Downloads/not found.csv");
    await fireEvent.click(screen.getByRole("button", { name: "Save these rows as a CSV…" }));
    expect(calls).toHaveBeenCalledWith("save_not_found", { token: "list-1" });
    expect(await screen.findByText("Saved to /home/user/Downloads/not found.csv")).toBeTruthy();
  });

  it("says nothing when the save dialog is cancelled", async () => {
    await open();
    await screen.findByTestId("list-report");
    on("save_not_found", () => null);
    await fireEvent.click(screen.getByRole("button", { name: "Save these rows as a CSV…" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("save_not_found", { token: "list-1" }));
    expect(screen.queryByText(/Saved to/)).toBeNull();
  });

  it("shows no tables when every row was found", async () => {
    const clean = listReportFixture({ not_found: [], duplicates: [], several: [], problems: [] });
    await open(() => listPickFixture({ report: clean }));
    await screen.findByTestId("list-report");
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByRole("button", { name: "Save these rows as a CSV…" })).toBeNull();
  });
});

describe("List of people: a column of companies", () => {
  const group = {
    mode: "any" as const,
    rules: [{ field: "company_name", condition: "is_phrase" as const, values: ["Acme"] }],
  };

  function companyReport(overrides: Partial<CompanyReport> = {}): CompanyReport {
    return {
      source: "accounts.csv",
      column: "Company",
      companies: 2,
      found_someone: 1,
      nobody: [{ row: 3, value: "Nowhere Ltd" }],
      duplicates: 0,
      problems: [],
      matches: 120,
      group,
      searches: 1,
      counted_with: 3,
      summary:
        "120 people match these 2 companies. 1 company found nobody: check how it is written.",
      ...overrides,
    };
  }

  async function openCompanies(report: CompanyReport) {
    app.set(appStateFixture());
    const companies = listPreviewFixture({
      columns: [columnFixture({ index: 0, name: "Company", kind: "companies" })],
      chosen: 0,
    });
    on("open_list", () => ({ token: "list-3", preview: companies }));
    on("company_search", () => report);
    render(ListTab);
    await fireEvent.click(screen.getByRole("button", { name: "Choose a file…" }));
    await fireEvent.click(
      await screen.findByRole("button", { name: "Find the people at these companies" }),
    );
    await screen.findByTestId("companies-summary");
  }

  it("counts each company, names those that found nobody by row, and adds them to the search", async () => {
    draft.reset();
    await openCompanies(companyReport());
    expect(calls).toHaveBeenCalledWith("company_search", {
      token: "list-3",
      header: { kind: "detect" },
      column: 0,
    });
    expect(screen.getByTestId("companies-summary").textContent).toMatch(/1 company found nobody/);
    const nobody = screen.getByRole("table", { name: "Companies that found nobody" });
    expect(within(nobody).getByText("Nowhere Ltd")).toBeTruthy();
    await fireEvent.click(
      screen.getByRole("button", { name: "Add these companies to the search" }),
    );
    expect(draft.tab).toBe("search");
    expect(draft.mode).toBe("builder");
    expect(draft.builder?.groups.at(-1)).toEqual(group);
  });

  it("prices a list too long for one search as one collection", async () => {
    draft.reset();
    on("quote_companies", () => quoteFixture({ id: 77 }));
    await openCompanies(companyReport({ group: null, searches: 3 }));
    expect(screen.queryByRole("button", { name: "Add these companies to the search" })).toBeNull();
    await fireEvent.click(
      screen.getByRole("button", { name: "Check the cost of everyone at them (free)" }),
    );
    await waitFor(() => expect(draft.companyQuote?.id).toBe(77));
    expect(calls).toHaveBeenCalledWith("quote_companies", { token: "list-3" });
  });
});
