import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Found, LibraryPage, PersonDetails } from "../lib/backend";
import { calls, emitEvent, on } from "../test/fakeTauri";
import { libraryImport } from "../lib/stores/library.svelte";
import People from "./People.svelte";

const jane: Found = {
  id: 11,
  name: "Jane Doe",
  title: "Engineer",
  company: "Acme",
  country: "Germany",
  last_collected_at: "2026-12-01T10:00:00.000000Z",
  last_job: 3,
};

function library(people: Found[]) {
  let held = [...people];
  on("search_people", ({ text }) => {
    const found = held.filter((p) => !text || (p.name ?? "").includes(String(text)));
    const page: LibraryPage = { total: found.length, page: 1, pages: 1, people: found };
    return page;
  });
  on("people_counts", () => ({
    countries: [{ value: "Germany", people: held.length }],
    companies: [],
  }));
  on("forget_person", ({ id }) => {
    held = held.filter((p) => p.id !== id);
    return true;
  });
  on("person_details", ({ id }): PersonDetails | null => {
    const p = held.find((person) => person.id === id);
    if (!p) return null;
    const by = { job: 3, name: "Python people", at: p.last_collected_at };
    return {
      id: p.id,
      name: p.name ?? "",
      title: p.title ?? "",
      company: p.company ?? "",
      country: p.country ?? "",
      location: "Berlin, Germany",
      last_updated: null,
      first: by,
      last: by,
    };
  });
}

describe("People", () => {
  it("explains the library when it is empty", async () => {
    library([]);
    render(People);
    await screen.findByTestId("library-empty");
    expect(
      screen.getByText(
        "Everyone you collect is kept here, so you never pay twice for the same person.",
      ),
    ).toBeTruthy();
  });

  it("lists people with counts, and forgets one after asking in plain words", async () => {
    library([jane, { ...jane, id: 12, name: "John Roe" }]);
    render(People);
    await waitFor(() =>
      expect(screen.getByTestId("library-count").textContent).toContain("1–2 of 2 people"),
    );
    expect(screen.getByTestId("library-counts").textContent).toContain("Germany");

    await fireEvent.click(screen.getByRole("button", { name: "Jane Doe" }));
    await screen.findByText("Berlin, Germany");
    await fireEvent.click(screen.getByTestId("forget-person"));
    expect(screen.getByRole("dialog", { name: "Forget Jane Doe?" })).toBeTruthy();
    expect(screen.getByTestId("forget-question").textContent).toContain("only a note");
    await fireEvent.click(screen.getByTestId("confirm-forget"));

    await waitFor(() =>
      expect(screen.getByTestId("library-count").textContent).toContain("1–1 of 1 person"),
    );
    expect(calls).toHaveBeenCalledWith("forget_person", { id: 11 });
  });

  it("exports the ticked people, or everyone matching", async () => {
    library([jane, { ...jane, id: 12, name: "John Roe" }]);
    on("export_people", () => ({ paths: ["/tmp/people.xlsx"], people: 1 }));
    render(People);
    const box = await screen.findByRole("checkbox", { name: "Select John Roe" });
    const exportButton = screen.getByTestId("export-people") as HTMLButtonElement;
    expect(exportButton.disabled).toBe(true);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId("export-people"));
    expect(calls).toHaveBeenCalledWith("export_people", {
      selection: { kind: "chosen", ids: [12] },
      format: "xlsx",
    });

    await fireEvent.click(screen.getByRole("button", { name: "Select all 2 people" }));
    await fireEvent.click(screen.getByTestId("export-people"));
    expect(calls).toHaveBeenCalledWith("export_people", {
      selection: { kind: "matching", text: null },
      format: "xlsx",
    });
  });

  it("saves as Parquet for data teams when chosen", async () => {
    library([jane]);
    on("export_people", () => ({ paths: ["/tmp/people.parquet"], people: 1 }));
    render(People);
    const format = screen.getByTestId("export-format") as HTMLSelectElement;
    expect([...format.options].map((option) => option.textContent)).toContain(
      "Parquet for data teams (.parquet)",
    );
    await fireEvent.change(format, { target: { value: "parquet" } });
    await fireEvent.click(await screen.findByRole("button", { name: "Select all 1 person" }));
    await fireEvent.click(screen.getByTestId("export-people"));
    expect(calls).toHaveBeenCalledWith("export_people", {
      selection: { kind: "matching", text: null },
      format: "parquet",
    });
  });

  it("shows how far the import of earlier collections has come", async () => {
    library([]);
    on("library_import_status", () => null);
    libraryImport.follow();
    render(People);
    emitEvent("library-import", { jobs_done: 2, jobs_total: 5, people: 3120, finished: false });
    expect((await screen.findByTestId("library-import")).textContent).toContain(
      "Adding your earlier collections to the people library: 2 of 5 (3,120 people)",
    );
    emitEvent("library-import", { jobs_done: 5, jobs_total: 5, people: 9000, finished: true });
    await waitFor(() => expect(screen.queryByTestId("library-import")).toBeNull());
  });
});
