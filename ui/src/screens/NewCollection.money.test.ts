import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { calls, jobFixture, on, quoteFixture } from "../test/fakeTauri";
import { collectButton, counted, estimateAndCollect, start, submits } from "../test/newCollection";

describe("New collection: money on screen", () => {
  it("disables “Get N profiles” when the known balance cannot pay, with the figures and a way to top up", async () => {
    start("live", quoteFixture({ records: 250, credits: 2500, balance: 1800 }));
    await counted();

    expect(collectButton()).toHaveProperty("disabled", true);
    expect(screen.getByText("This needs 2,500 credits; you have 1,800.")).toBeTruthy();
    expect(screen.getByTestId("cost-balance").textContent).toContain("1,800 credits");
    const link = screen.getByRole("link", { name: "How to top up your Coresignal credits" });
    on("open_top_up_page", () => null);
    await fireEvent.click(link);
    expect(calls).toHaveBeenCalledWith("open_top_up_page", {});
    expect(submits()).toHaveLength(0);
  });

  it("says when a price assumes the price per profile", async () => {
    const note =
      "This uses an assumed 10 credits a profile; choose your Coresignal plan in Settings to be sure (after your first collection the app measures it from your balance).";
    start(
      "live",
      quoteFixture({
        records: 20,
        credits: 200,
        credits_per_record: 10,
        credits_basis: "assumed",
        credits_note: note,
      }),
    );
    await counted();
    expect(screen.getByTestId("cost-credits").textContent).toContain(note);
  });

  it("in Practice says nothing is spent instead of showing a balance", async () => {
    const practice = quoteFixture({
      records: 25,
      credits: 25,
      balance: 999_999_975,
      practice: true,
      question:
        "Collect 25 profiles? Practice: nothing is spent (a real account would pay 25 credits).",
    });
    start("practice", practice);
    on("submit", () => jobFixture({ id: 5 }));
    await counted();

    expect(screen.getByTestId("cost-credits").textContent).toBe(
      "Practice: nothing is spent (a real account would pay 25 credits)",
    );
    expect(screen.queryByTestId("cost-balance")).toBeNull();
    expect(document.body.textContent).not.toContain("999,999,975");
    expect(document.body.textContent).not.toMatch(/balance after/i);

    await fireEvent.click(collectButton());
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain(
      "you will get 25 profiles · Practice: nothing is spent (a real account would pay 25 credits)",
    );
    expect(dialog.textContent).not.toMatch(/balance/i);
  });

  it("never sends a consent of its own: only the person's answer in the computer's window spends", async () => {
    start("live");
    // The native dialog's "No": the core is never asked to spend, and the person is told so.
    on("submit", () => {
      throw { code: "Declined", message: "You said No: nothing was sent and nothing was spent." };
    });
    await estimateAndCollect();
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));

    await waitFor(() =>
      expect(
        screen.getAllByText(/You said No: nothing was sent and nothing was spent\./),
      ).not.toHaveLength(0),
    );
    expect(document.body.textContent).not.toContain("The job was cancelled.");
    const [, args] = submits()[0] ?? [];
    expect(Object.keys(args ?? {}).sort()).toEqual(["again", "quote"]);
  });
});
