import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { router } from "../lib/stores/router.svelte";
import { calls, jobFixture, on, quoteFixture } from "../test/fakeTauri";
import {
  EARLIER,
  collectButton,
  counted,
  estimateAndCollect,
  quote,
  start,
  submits,
} from "../test/newCollection";

describe("New collection: confirming and what can go wrong", () => {
  it("says “Collect again”, lists the earlier job and passes again = true when collected before", async () => {
    const again = quoteFixture({
      id: 12,
      earlier: [EARLIER],
      question:
        'You collected this data on 2026-02-20 ("Engineers in March"). Collect 1,751 profiles again for 1,751 credits?',
    });
    start("live", again);
    on("submit", () => jobFixture({ id: 43 }));
    const dialog = await estimateAndCollect();

    expect(screen.getByTestId("collected-before")).toBeTruthy();
    expect(screen.getByTestId("quote-question").textContent).toBe(again.question);
    expect(dialog.textContent).toContain("Engineers in March");
    expect(screen.getByRole("button", { name: "Open Engineers in March" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Yes, collect" })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Collect again" }));

    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 43 }));
    expect(calls).toHaveBeenCalledWith("submit", { quote: 12, again: true });
  });

  it("opens an earlier job from the confirmation without sending", async () => {
    start("live", quoteFixture({ earlier: [EARLIER] }));
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Open Engineers in March" }));
    expect(router.route).toEqual({ screen: "job", id: 4 });
    expect(submits()).toHaveLength(0);
  });

  it("prices an expired quote again and asks again before sending", async () => {
    start();
    const fresh = quoteFixture({
      id: 21,
      records: 1800,
      question: "Collect 1,800 profiles for 1,800 credits?",
    });
    let sent = 0;
    on("submit", ({ quote: id }) => {
      sent += 1;
      if (id === quote.id) throw { code: "QuoteExpired", message: "The price is old." };
      return jobFixture({ id: 44 });
    });
    on("requote", () => fresh);
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));

    // A second confirmation, with the new price; nothing more was sent.
    await screen.findByTestId("quote-requoted");
    expect(calls).toHaveBeenCalledWith("requote", { quote: quote.id });
    expect(screen.getByTestId("quote-question").textContent).toBe(fresh.question);
    expect(screen.getByTestId("estimate-summary").textContent).toContain("1,800 profiles");
    expect(sent).toBe(1);
    expect(router.route).toEqual({ screen: "new" });

    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 44 }));
    expect(submits().map(([, args]) => args)).toEqual([
      { quote: quote.id, again: false },
      { quote: 21, again: false },
    ]);
  });

  it("checks a price older than 5 minutes again before asking, and sends only once confirmed", async () => {
    const old = quoteFixture({ id: 13, expires_at: "2020-01-01T00:00:00Z" });
    const fresh = quoteFixture({ id: 14, question: "Collect 1,751 profiles for 1,751 credits?" });
    start("live", old);
    on("requote", () => fresh);
    on("submit", () => jobFixture({ id: 45 }));
    await counted();
    await fireEvent.click(collectButton());

    await screen.findByTestId("quote-requoted");
    expect(calls).toHaveBeenCalledWith("requote", { quote: 13 });
    expect(submits()).toHaveLength(0);
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 45 }));
    expect(submits().map(([, args]) => args)).toEqual([{ quote: 14, again: false }]);
  });

  it("does not send the new price when its confirmation is cancelled", async () => {
    start();
    on("submit", () => {
      throw { code: "QuoteExpired", message: "The price is old." };
    });
    on("requote", () => quoteFixture({ id: 22 }));
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    await screen.findByTestId("quote-requoted");
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(submits()).toHaveLength(1);
  });

  it("keeps focus in the confirmation and closes it with Cancel or Escape without sending", async () => {
    start();
    await counted();
    collectButton().focus();
    await fireEvent.click(collectButton());
    await fireEvent.keyDown(window, { key: "Tab", shiftKey: true });
    expect(document.activeElement?.textContent).toBe("Yes, collect");
    await fireEvent.keyDown(window, { key: "Tab" });
    expect(document.activeElement?.textContent).toBe("Cancel");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(document.activeElement).toBe(collectButton());
    expect(screen.queryByRole("dialog")).toBeNull();
    await fireEvent.click(collectButton());
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(submits()).toHaveLength(0);
  });

  it("offers to open the running twin after DuplicateInProgress", async () => {
    start();
    on("submit", () => {
      throw {
        code: "DuplicateInProgress",
        message:
          'Coresignal is still preparing the first one ("Python" in Collections). Wait for it to finish instead of sending it again.',
        job: 7,
      };
    });
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));

    const open = await screen.findByRole("button", { name: "Open the collection" });
    expect(screen.getByText("Coresignal is already preparing the same collection.")).toBeTruthy();
    await fireEvent.click(open);
    expect(router.route).toEqual({ screen: "job", id: 7 });
  });

  it("says a spent quote was already sent and offers its job", async () => {
    start();
    on("submit", () => {
      throw {
        code: "QuoteSpent",
        message: "This price was already used to send a collection (Collection 8).",
        job: 8,
      };
    });
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    expect(await screen.findByText("This collection was already sent.")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Open the collection" }));
    expect(router.route).toEqual({ screen: "job", id: 8 });
  });

  it("explains CollectedBefore and offers the earlier job", async () => {
    start();
    on("submit", () => {
      throw {
        code: "CollectedBefore",
        message:
          'You already collected this data in the last 30 days ("Engineers in March"). Open that collection, or confirm "collect again" to pay for it again.',
        job: 4,
      };
    });
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    expect(
      await screen.findByText("You already collected this data in the last 30 days."),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Open the collection" })).toBeTruthy();
    expect(submits()).toHaveLength(1);
  });

  it("explains an uncertain submit without sending again", async () => {
    start();
    on("submit", () => {
      throw { code: "Uncertain", message: "The connection broke after sending.", job: 9 };
    });
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    const error = await screen.findByText(
      "We could not confirm Coresignal received this collection.",
    );
    expect(error.parentElement?.textContent).toContain("It was not sent again.");
    // What the app saw is for a technician: folded under Technical details.
    expect(error.parentElement?.querySelector("details")?.textContent).toContain(
      "The connection broke after sending.",
    );
    expect(screen.getByRole("button", { name: "Open the collection" })).toBeTruthy();
    expect(submits()).toHaveLength(1);
  });
});
