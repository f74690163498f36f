// The New collection screen's list of people: a file or pasted cells looked up, priced, collected.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ListOpened, ListPick } from "../lib/backend";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { router } from "../lib/stores/router.svelte";
import {
  appStateFixture,
  calls,
  jobFixture,
  on,
  listOpenedFixture,
  listPickFixture,
  quoteFixture,
} from "../test/fakeTauri";
import { collectButton } from "../test/newCollection";
import NewCollection from "./NewCollection.svelte";

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
