import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { appStateFixture, calls, on } from "../test/fakeTauri";
import Settings from "./Settings.svelte";

function start(overrides = {}) {
  const current = appStateFixture({ mode: "live", key_hint: "••••a1b2", ...overrides });
  app.set(current);
  return render(Settings, { current });
}

describe("Settings", () => {
  it("shows only the key hint and removes the key after confirmation", async () => {
    on("remove_key", () => appStateFixture({ mode: "live", key_hint: null }));
    start();
    expect(screen.getByText("••••a1b2")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Remove key" }));
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain("Remove the API key?");
    await fireEvent.click(screen.getByRole("button", { name: "Keep the key" }));
    expect(calls.mock.calls.map(([command]) => command)).not.toContain("remove_key");

    await fireEvent.click(screen.getByRole("button", { name: "Remove key" }));
    const confirm = screen.getAllByRole("button", { name: "Remove key" }).at(-1);
    await fireEvent.click(confirm as HTMLElement);
    await waitFor(() => expect(calls).toHaveBeenCalledWith("remove_key", {}));
    expect(app.state?.key_hint).toBeNull();
  });

  it("validates and saves costs, speed and proxy", async () => {
    on("save_settings", ({ settings }) => appStateFixture({ settings: settings as never }));
    start();
    const rate = screen.getByLabelText("Requests per second");
    await fireEvent.input(rate, { target: { value: "30" } });
    expect(screen.getByText("Enter a whole number from 1 to 27.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", true);

    await fireEvent.input(rate, { target: { value: "5" } });
    await fireEvent.input(screen.getByLabelText("Credits per profile"), {
      target: { value: "10" },
    });
    await fireEvent.input(screen.getByLabelText("Proxy"), {
      target: { value: " http://proxy:8080 " },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(app.state?.settings.requests_per_second).toBe(5));
    expect(app.state?.settings).toMatchObject({
      credits_per_record: 10,
      proxy: "http://proxy:8080",
    });
  });

  it("tests the connection and switches mode", async () => {
    on("test_connection", () => ({ ok: false, message: "Proxy refused.", balance: null }));
    on("choose_mode", () => appStateFixture({ mode: "practice" }));
    start();
    await fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
    expect(await screen.findByText(/Not connected\.\s+Proxy refused\./)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Switch to Practice mode" }));
    await waitFor(() => expect(app.state?.mode).toBe("practice"));
    expect(calls).toHaveBeenCalledWith("choose_mode", { mode: "practice" });
  });
});
