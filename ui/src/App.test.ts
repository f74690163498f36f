import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { router } from "./lib/stores/router.svelte";
import { SUCCESS_TOAST_MS } from "./lib/stores/toasts.svelte";
import { appStateFixture, emit, on, summaryFixture } from "./test/fakeTauri";

describe("App", () => {
  it("offers the two first-run choices when no mode is chosen", async () => {
    on("app_state", () => appStateFixture({ mode: null }));
    render(App);
    expect(await screen.findByRole("button", { name: "Practice mode" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Use my Coresignal API key" })).toBeTruthy();
    expect(screen.queryByTestId("practice-banner")).toBeNull();
  });

  it("shows the Practice banner and navigation, and toasts finished jobs", async () => {
    on("app_state", () => appStateFixture({ mode: "practice" }));
    on("list_jobs", () => [summaryFixture({ id: 3, name: "Chefs" })]);
    on("check_query", () => ({ pretty: null, warnings: [], error: null, diagnostics: [] }));
    render(App);
    expect((await screen.findByTestId("practice-banner")).textContent).toContain(
      "No credits are spent",
    );
    await fireEvent.click(screen.getByTestId("nav-jobs"));
    expect(await screen.findByRole("heading", { level: 1, name: "Collections" })).toBeTruthy();
    await screen.findAllByTestId("job-row");

    emit({ type: "state", job: 3, state: "downloaded", batch_of: null });
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("“Chefs” is downloaded.");
    await fireEvent.click(screen.getByRole("button", { name: /^Dismiss/ }));
    expect(screen.queryByTestId("toast")).toBeNull();

    emit({ type: "state", job: 3, state: "failed", batch_of: null });
    expect((await screen.findByTestId("toast")).textContent).toContain("stopped: failed");
    await fireEvent.click(screen.getByRole("button", { name: /^Dismiss/ }));

    // A batch of a collection is not news on its own.
    emit({ type: "state", job: 8, state: "failed", batch_of: 3 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId("toast")).toBeNull();
  });

  it("lets good news go by itself, and says nothing over the job it is about", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      on("app_state", () => appStateFixture({ mode: "practice" }));
      on("list_jobs", () => [summaryFixture({ id: 3, name: "Chefs" })]);
      on("check_query", () => ({ pretty: null, warnings: [], error: null, diagnostics: [] }));
      render(App);
      await screen.findByTestId("practice-banner");
      emit({ type: "state", job: 3, state: "downloaded", batch_of: null });
      await screen.findByTestId("toast");
      vi.advanceTimersByTime(SUCCESS_TOAST_MS + 10);
      await waitFor(() => expect(screen.queryByTestId("toast")).toBeNull());

      router.go({ screen: "job", id: 3 });
      emit({ type: "state", job: 3, state: "failed", batch_of: null });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(screen.queryByTestId("toast"), "the job's own page shows it").toBeNull();

      // A notice shown elsewhere goes when its job's page is opened.
      router.go({ screen: "jobs" });
      emit({ type: "state", job: 3, state: "uncertain", batch_of: null });
      expect((await screen.findByTestId("toast")).textContent).toContain("“Chefs” stopped");
      router.go({ screen: "job", id: 3 });
      await waitFor(() => expect(screen.queryByTestId("toast")).toBeNull());
    } finally {
      vi.useRealTimers();
    }
  });

  it("says a rejected key stops the checking of collections, and where to replace it", async () => {
    on("app_state", () => appStateFixture({ mode: "live", key_rejected: true }));
    on("list_jobs", () => []);
    on("check_query", () => ({ pretty: null, warnings: [], error: null, diagnostics: [] }));
    render(App);
    const notice = await screen.findByText(/stopped checking/);
    expect(notice.textContent).toContain(
      "The app has stopped checking collections until the key is replaced.",
    );
    expect(notice.textContent).not.toMatch(/\bjobs?\b/);
  });

  it("explains when the app state cannot be loaded", async () => {
    on("app_state", () => {
      throw { code: "KeychainUnavailable", message: "No keyring." };
    });
    render(App);
    await waitFor(() =>
      expect(screen.getByTestId("error-message").textContent).toContain("password store"),
    );
  });
});
