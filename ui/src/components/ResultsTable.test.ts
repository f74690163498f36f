import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { PeopleQuery, PersonRow } from "../lib/backend";
import { calls, on } from "../test/fakeTauri";
import ResultsTable from "./ResultsTable.svelte";

const people: PersonRow[] = Array.from({ length: 120 }, (_, index) => ({
  id: String(index + 1),
  name: `Person ${String(index + 1).padStart(3, "0")}`,
  title: index % 2 === 0 ? "Engineer" : "Chef",
  company: "Acme",
  country: "Lithuania",
  location: "Vilnius, Lithuania",
}));

/** Answers like the Rust side would: search, sort by name, then the page. */
function serve() {
  on("people_page", (args) => {
    const query = args.query as PeopleQuery;
    const needle = query.search.trim().toLowerCase();
    let rows = people.filter((person) => person.title.toLowerCase().includes(needle));
    if (query.sort === "name") rows = [...rows].sort((a, b) => a.name.localeCompare(b.name));
    if (query.descending) rows = [...rows].reverse();
    return {
      total: people.length,
      matching: rows.length,
      offset: query.offset,
      rows: rows.slice(query.offset, query.offset + query.limit),
    };
  });
}

const lastQuery = () =>
  calls.mock.calls.filter(([command]) => command === "people_page").at(-1)?.[1].query;

describe("ResultsTable", () => {
  it("shows one page of people and pages on", async () => {
    serve();
    render(ResultsTable, { id: 4, revision: 0 });
    await waitFor(() => expect(screen.getAllByTestId("person-row")).toHaveLength(50));
    expect(screen.getByTestId("people-count").textContent).toContain("1–50 of 120 people");
    expect(calls).toHaveBeenCalledWith("people_page", {
      id: 4,
      query: { search: "", sort: "file", descending: false, offset: 0, limit: 50 },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(screen.getAllByTestId("person-row")).toHaveLength(20));
    expect(screen.getByRole("button", { name: "Next page" })).toHaveProperty("disabled", true);
  });

  it("sorts by a column (again: the other way) and searches from the first page", async () => {
    serve();
    render(ResultsTable, { id: 4, revision: 0 });
    await screen.findAllByTestId("person-row");
    await fireEvent.click(screen.getByRole("button", { name: "Name" }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "name", descending: false }));
    await fireEvent.click(screen.getByRole("button", { name: /Name/ }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "name", descending: true }));
    await waitFor(() =>
      expect(screen.getAllByTestId("person-row")[0]?.textContent).toContain("Person 120"),
    );
    await fireEvent.input(screen.getByLabelText("Search people"), { target: { value: "chef" } });
    await waitFor(() => expect(lastQuery()).toMatchObject({ search: "chef", offset: 0 }));
    await waitFor(() =>
      expect(screen.getByTestId("people-count").textContent).toContain("matching (of 120)"),
    );
  });
});
