import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { router } from "../lib/stores/router.svelte";
import { appStateFixture, on } from "../test/fakeTauri";
import CreditLedger from "./CreditLedger.svelte";

describe("Credit ledger", () => {
  it("shows credits per month and per collection, with money and what was estimated", async () => {
    const state = appStateFixture({ mode: "live" });
    app.set({
      ...state,
      settings: { ...state.settings, price_per_credit: { amount: 0.02, currency: "EUR" } },
    });
    on("credit_ledger", () => ({
      lines: [
        {
          kind: "job",
          job_id: 7,
          name: "Python people",
          at: "2026-11-29T10:00:00Z",
          month: "2026-11",
          records: 100,
          credits: 1000,
          measured: true,
        },
        {
          kind: "preview",
          job_id: null,
          name: "Preview",
          at: "2026-11-28T10:00:00Z",
          month: "2026-11",
          records: 20,
          credits: 10,
          measured: false,
        },
      ],
      months: [{ month: "2026-11", credits: 1010, estimated: true }],
      total: 1010,
      estimated: true,
    }));
    render(CreditLedger);
    const ledger = await screen.findByTestId("credit-ledger");
    expect(ledger.textContent).toContain(
      "Credits spent: 1,010 credits (≈ €20.20) (partly estimated)",
    );
    expect(ledger.textContent).toContain("November 2026");
    expect(ledger.textContent).toContain("10 credits (≈ €0.20) (estimated)");
    await fireEvent.click(screen.getByRole("button", { name: "Python people" }));
    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 7 }));
  });

  it("in Practice says nothing was spent, and what a real account would have paid", async () => {
    app.set(appStateFixture({ mode: "practice" }));
    on("credit_ledger", () => ({
      lines: [
        {
          kind: "job",
          job_id: 3,
          name: "Practice people",
          at: "2026-11-29T10:00:00Z",
          month: "2026-11",
          records: 25,
          credits: 25,
          measured: true,
        },
      ],
      months: [{ month: "2026-11", credits: 25, estimated: false }],
      total: 25,
      estimated: false,
    }));
    render(CreditLedger);
    const ledger = await screen.findByTestId("credit-ledger");
    expect(ledger.querySelector("summary")?.textContent?.trim()).toBe(
      "Practice: nothing is spent (a real account would have paid 25 credits)",
    );
    expect(ledger.textContent).not.toContain("Credits spent");
    expect(ledger.textContent).toContain("25 credits (not spent)");
  });

  it("stays out of the way before anything was spent", async () => {
    on("credit_ledger", () => ({ lines: [], months: [], total: 0, estimated: false }));
    render(CreditLedger);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByTestId("credit-ledger")).toBeNull();
  });
});
