import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { SavedSearch, Search, StarterSearch } from "../lib/backend";
import { draft } from "../lib/stores/draft.svelte";
import { calls, on } from "../test/fakeTauri";
import SavedSearches from "./SavedSearches.svelte";

const QUERY = '{"query": {"match": {"skills": "python"}}}';

const EXAMPLE: StarterSearch = {
  id: "python-germany",
  label: "Python developers in Germany",
  description: "People in Germany whose job mentions Python.",
  search: {
    groups: [
      { mode: "all", rules: [{ field: "skills", condition: "is_one_of", values: ["python"] }] },
    ],
  },
};

function saved(id: number, name: string, limit: number | null = 100): SavedSearch {
  return {
    id,
    name,
    query_text: QUERY,
    limit,
    created_at: "2026-11-29T10:00:00Z",
    updated_at: "2026-11-29T10:00:00Z",
  };
}

function start(list: SavedSearch[] = []) {
  let searches = [...list];
  on("saved_searches", () => searches);
  on("save_search", ({ search }) => {
    const asked = search as { id: number | null; name: string; limit: number | null };
    const made = saved(asked.id ?? 9, asked.name, asked.limit);
    searches = [...searches.filter((item) => item.id !== made.id), made];
    return made;
  });
  const opened: string[] = [];
  render(SavedSearches, {
    onopen: (text: string) => opened.push(text),
    saveable: true,
    examples: [EXAMPLE],
    onexample: (search: Search) => opened.push(JSON.stringify(search)),
  });
  return opened;
}

describe("Saved searches", () => {
  it("open a saved search with its limit and name", async () => {
    const opened = start([saved(3, "Python, Germany", 250)]);
    const select = screen.getByTestId("template-select") as HTMLSelectElement;
    await waitFor(() => expect(select.textContent).toContain("Python, Germany"));
    await fireEvent.change(select, { target: { value: "saved:3" } });
    expect(opened).toEqual([QUERY]);
    expect(draft.limitText).toBe("250");
    expect(draft.savedId).toBe(3);
    expect(screen.getByTestId("saved-open").textContent).toContain("Python, Germany");
  });

  it("open an example without tying the search to a saved one", async () => {
    const opened = start();
    await fireEvent.change(screen.getByTestId("template-select"), {
      target: { value: "example:python-germany" },
    });
    expect(opened).toEqual([JSON.stringify(EXAMPLE.search)]);
    expect(draft.savedId).toBeNull();
  });

  it("save the search on screen under the name given", async () => {
    start();
    draft.queryText = QUERY;
    draft.limitText = "";
    await fireEvent.click(screen.getByRole("button", { name: "Save search…" }));
    await fireEvent.input(screen.getByTestId("save-name-input"), {
      target: { value: "All Python people" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(screen.getByTestId("saved-status").textContent).toBe("Saved as “All Python people”."),
    );
    expect(calls).toHaveBeenCalledWith("save_search", {
      search: { id: null, name: "All Python people", query_text: QUERY, limit: null },
    });
    expect(draft.savedId).toBe(9);
  });

  it("ask before deleting, and keep the search on screen", async () => {
    start([saved(3, "Old search")]);
    on("delete_search", () => undefined);
    draft.savedId = 3;
    await waitFor(() => expect(screen.getByTestId("saved-open")).toBeTruthy());
    await fireEvent.click(screen.getByRole("button", { name: "Delete…" }));
    expect(calls).not.toHaveBeenCalledWith("delete_search", { id: 3 });
    await fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("delete_search", { id: 3 }));
    expect(draft.savedId).toBeNull();
  });

  it("name every entry an import left out, and why", async () => {
    start();
    on("import_searches", () => ({
      added: [saved(4, "Good")],
      skipped: [{ position: 2, name: "Nested wrong", reason: "It needs nested." }],
    }));
    await fireEvent.click(screen.getByRole("button", { name: "Import from a file…" }));
    await waitFor(() =>
      expect(screen.getByTestId("import-skipped").textContent).toContain(
        "Search 2 (“Nested wrong”): It needs nested.",
      ),
    );
    await waitFor(() =>
      expect(screen.getByTestId("saved-status").textContent).toBe("Imported 1 search."),
    );
  });
});
