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

  it("saves how many past positions the spreadsheet shows", async () => {
    on("save_settings", ({ settings }) => appStateFixture({ settings: settings as never }));
    start();
    const positions = screen.getByLabelText("Past positions in the spreadsheet");
    await fireEvent.input(positions, { target: { value: "51" } });
    expect(screen.getByText("Enter a whole number from 0 to 50.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save columns" })).toHaveProperty("disabled", true);
    await fireEvent.input(positions, { target: { value: "1" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save columns" }));
    await waitFor(() => expect(app.state?.settings.past_positions).toBe(1));
  });

  it("validates and saves costs, speed and proxy", async () => {
    on("save_settings", ({ settings }) => appStateFixture({ settings: settings as never }));
    start();
    const rate = screen.getByLabelText("Requests per second");
    await fireEvent.input(rate, { target: { value: "30" } });
    expect(screen.getByText("Enter a whole number from 1 to 27.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save" })).toHaveProperty("disabled", true);

    await fireEvent.input(rate, { target: { value: "5" } });
    await fireEvent.input(screen.getByLabelText("Proxy"), {
      target: { value: " http://proxy:8080 " },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(app.state?.settings.requests_per_second).toBe(5));
    expect(app.state?.settings).toMatchObject({ proxy: "http://proxy:8080" });
  });

  it("saves what things cost: plan, preview, limit per request and price per credit", async () => {
    on("save_settings", ({ settings }) => appStateFixture({ settings: settings as never }));
    on("credits_per_profile", () => ({
      setting: 1,
      measured: {
        value: 10,
        job_id: 7,
        measured_at: "2026-11-29T10:00:00Z",
        collections: 1,
        left_out: 0,
      },
      used: 10,
      basis: "measured",
      explained: "10 credits per profile, measured.",
    }));
    start();
    await waitFor(() =>
      expect(screen.getByTestId("credits-measured").textContent).toContain(
        "Measured: 10 credits per profile",
      ),
    );
    await fireEvent.input(screen.getByLabelText("Credits per profile on your plan"), {
      target: { value: "10" },
    });
    const cap = screen.getByLabelText("Limit per request (credits)");
    await fireEvent.input(cap, { target: { value: "abc" } });
    await fireEvent.input(cap, { target: { value: "5000" } });
    await fireEvent.input(screen.getByLabelText("Price per credit (optional)"), {
      target: { value: "0,02" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Save costs" }));
    await waitFor(() => expect(app.state?.settings.credit_cap).toBe(5000));
    expect(app.state?.settings).toMatchObject({
      credits_per_record: 10,
      price_per_credit: { amount: 0.02, currency: "EUR" },
    });
    await fireEvent.input(screen.getByLabelText("Price per credit (optional)"), {
      target: { value: "-1" },
    });
    expect(screen.getByText(/Enter the price of one credit/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save costs" })).toHaveProperty("disabled", true);
  });

  it("says the measured price is the median of recent collections, unusual ones left out", async () => {
    on("credits_per_profile", () => ({
      setting: 1,
      measured: {
        value: 10,
        job_id: 12,
        measured_at: "2026-11-29T10:00:00Z",
        collections: 5,
        left_out: 1,
      },
      used: 10,
      basis: "measured",
      explained: "10 credits per profile, measured: median of your last 5 collections.",
    }));
    start();
    await waitFor(() =>
      expect(screen.getByTestId("credits-measured").textContent).toContain(
        "the median of your last 5 collections, 1 left out as unusual",
      ),
    );
  });

  it("turns update checks off and keeps the other settings", async () => {
    on("save_settings", ({ settings }) => appStateFixture({ settings: settings as never }));
    start();
    const updates = screen.getByLabelText(
      "Look for a new version when the app starts",
    ) as HTMLInputElement;
    expect(updates.checked).toBe(true);
    await fireEvent.click(updates);
    await waitFor(() => expect(app.state?.settings.check_for_updates).toBe(false));
    const [, sent] = calls.mock.calls.find(([command]) => command === "save_settings") ?? [];
    expect((sent as { settings: object }).settings).toMatchObject({
      check_for_updates: false,
      export_after_download: true,
    });
    expect(screen.getByText("Bulk Collect will not look for new versions.")).toBeTruthy();
  });

  it("sends a typed proxy password once, keeps a saved one by default and never shows it", async () => {
    on("save_settings", ({ settings }) =>
      appStateFixture({ settings: settings as never, proxy_password_set: true }),
    );
    start();
    expect(screen.getByText(/Only if your proxy asks for one/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Proxy"), {
      target: { value: "http://anna@proxy:8080" },
    });
    const password = screen.getByLabelText("Proxy password") as HTMLInputElement;
    expect(password.type).toBe("password");
    await fireEvent.input(password, { target: { value: "s3cret" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(app.state?.proxy_password_set).toBe(true));
    const [, sent] = calls.mock.calls.find(([command]) => command === "save_settings") ?? [];
    expect(sent).toMatchObject({ proxyPassword: { set: "s3cret" } });
    expect(Object.keys((sent as { settings: object }).settings).sort()).toEqual([
      "batches_at_once",
      "check_for_updates",
      "credit_cap",
      "credits_per_record",
      "download_root",
      "export_after_download",
      "max_downloads",
      "past_positions",
      "plan_known",
      "preview_credits",
      "price_per_credit",
      "proxy",
      "requests_per_second",
      "theme",
    ]);
    await waitFor(() => expect(password.value).toBe(""));

    // The next save leaves the saved password alone.
    calls.mockClear();
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls).toHaveBeenCalled());
    expect(calls.mock.calls[0]?.[1]).toMatchObject({ proxyPassword: "keep" });
  });

  it("shows only that a proxy password is saved and removes it", async () => {
    on("save_settings", ({ settings }) =>
      appStateFixture({ settings: settings as never, proxy_password_set: false }),
    );
    render(Settings, {
      current: appStateFixture({
        mode: "live",
        key_hint: "••••a1b2",
        proxy_password_set: true,
        settings: { ...appStateFixture().settings, proxy: "http://anna@proxy:8080" },
      }),
    });
    expect(screen.getByText(/A proxy password is saved/)).toBeTruthy();
    expect((screen.getByLabelText("Proxy password") as HTMLInputElement).value).toBe("");
    await fireEvent.click(screen.getByRole("button", { name: "Remove proxy password" }));
    await waitFor(() =>
      expect(calls).toHaveBeenCalledWith(
        "save_settings",
        expect.objectContaining({ proxyPassword: "remove" }),
      ),
    );
    expect(await screen.findByText(/proxy password was removed/)).toBeTruthy();
  });

  it("shows why a setting was refused", async () => {
    on("save_settings", () => {
      throw {
        code: "InvalidInput",
        message: "A proxy password needs a user name: write it in the address.",
      };
    });
    start();
    await fireEvent.input(screen.getByLabelText("Proxy password"), {
      target: { value: "s3cret" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/needs a user name/)).toBeTruthy();
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

  it("asks the plan question when a real key is entered here after Practice", async () => {
    const practiceSettings = { ...appStateFixture().settings, plan_known: false };
    on("save_key", () => appStateFixture({ mode: "live", settings: practiceSettings }));
    on("save_settings", ({ settings }) =>
      appStateFixture({ mode: "live", settings: settings as never }),
    );
    start({ mode: "practice", key_hint: null, settings: practiceSettings });
    expect(screen.getByText("Which Coresignal plan is your account on?")).toBeTruthy();
    await fireEvent.click(screen.getByRole("radio", { name: /A plan from 2025 or later/ }));
    await fireEvent.input(screen.getByLabelText("Coresignal API key", { selector: "input" }), {
      target: { value: "secret-key" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    await waitFor(() =>
      expect(app.state?.settings).toMatchObject({ credits_per_record: 10, plan_known: true }),
    );
  });

  it("shows an unchosen plan as the assumed 10 a profile and says so", () => {
    start({ settings: { ...appStateFixture().settings, plan_known: false } });
    const field = screen.getByLabelText("Credits per profile on your plan");
    expect(field).toHaveProperty("value", "10");
    expect(
      screen.getByText(/Not chosen yet: Live prices assume 10 credits a profile/),
    ).toBeTruthy();
  });

  it("keeps the money settings when the person says no in the computer's own window", async () => {
    on("save_settings", () => {
      throw {
        code: "Declined",
        message: "You said No: nothing was saved, and the money settings stay as they were.",
      };
    });
    start({ settings: { ...appStateFixture().settings, credit_cap: 1000 } });
    await fireEvent.input(screen.getByLabelText("Limit per request (credits)"), {
      target: { value: "" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Save costs" }));
    expect(
      await screen.findByText(/nothing was saved, and the money settings stay as they were\./),
    ).toBeTruthy();
    expect(document.body.textContent).not.toContain("The job was cancelled.");
    expect(app.state?.settings.credit_cap).toBe(1000);
  });

  it("shows no balance in Practice, where nothing is spent", () => {
    start({ mode: "practice", balance: 999_999_975 });
    expect(document.body.textContent).not.toContain("999,999,975");
  });
});
