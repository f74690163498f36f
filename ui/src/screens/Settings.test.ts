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
    await fireEvent.change(positions);
    expect(screen.getByText("Enter a whole number from 0 to 50.")).toBeTruthy();
    expect(calls.mock.calls.map(([command]) => command)).not.toContain("save_settings");
    await fireEvent.input(positions, { target: { value: "1" } });
    await fireEvent.change(positions);
    await waitFor(() => expect(app.state?.settings.past_positions).toBe(1));
    expect(screen.getByTestId("positions-input-saved").textContent).toContain("Saved");
  });

  it("validates and saves costs, speed and proxy", async () => {
    on("save_settings", ({ settings }) => appStateFixture({ settings: settings as never }));
    start();
    const rate = screen.getByLabelText("Requests per second");
    await fireEvent.input(rate, { target: { value: "30" } });
    await fireEvent.change(rate);
    expect(screen.getByText("Enter a whole number from 1 to 27.")).toBeTruthy();
    expect(calls.mock.calls.map(([command]) => command)).not.toContain("save_settings");

    await fireEvent.input(rate, { target: { value: "5" } });
    await fireEvent.change(rate);
    await waitFor(() => expect(app.state?.settings.requests_per_second).toBe(5));
    expect(screen.getByTestId("rate-input-saved").textContent).toContain("Saved");
    expect(screen.getByTestId("settings-status").textContent).toContain(
      "Saved: requests per second.",
    );
    const proxy = screen.getByLabelText("Proxy");
    await fireEvent.input(proxy, { target: { value: " http://proxy:8080 " } });
    await fireEvent.change(proxy);
    await waitFor(() => expect(app.state?.settings).toMatchObject({ proxy: "http://proxy:8080" }));
    expect(screen.getByTestId("proxy-saved")).toBeTruthy();
    expect(screen.queryByTestId("rate-input-saved")).toBeNull();
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
    const plan = screen.getByLabelText("Credits per profile on your plan");
    await fireEvent.input(plan, { target: { value: "10" } });
    await fireEvent.change(plan);
    await waitFor(() => expect(app.state?.settings.credits_per_record).toBe(10));
    const cap = screen.getByLabelText("Limit per request (credits)");
    await fireEvent.input(cap, { target: { value: "abc" } });
    await fireEvent.input(cap, { target: { value: "5000" } });
    await fireEvent.change(cap);
    await waitFor(() => expect(app.state?.settings.credit_cap).toBe(5000));
    expect(screen.getByTestId("cap-saved")).toBeTruthy();
    const price = screen.getByLabelText("Price per credit (optional)");
    await fireEvent.input(price, { target: { value: "0,02" } });
    await fireEvent.change(price);
    await waitFor(() =>
      expect(app.state?.settings).toMatchObject({
        price_per_credit: { amount: 0.02, currency: "EUR" },
      }),
    );
    expect(screen.getByTestId("price-saved")).toBeTruthy();
    calls.mockClear();
    await fireEvent.input(price, { target: { value: "-1" } });
    await fireEvent.change(price);
    expect(screen.getByText(/Enter the price of one credit/)).toBeTruthy();
    expect(calls.mock.calls.map(([command]) => command)).not.toContain("save_settings");
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
    expect(screen.getByTestId("settings-status").textContent).toContain(
      "Bulk Collect will not look for new versions.",
    );
    expect(screen.getByTestId("updates-saved").textContent).toContain("Saved");
  });

  it("sends a typed proxy password once, keeps a saved one by default and never shows it", async () => {
    on("save_settings", ({ settings }) =>
      appStateFixture({ settings: settings as never, proxy_password_set: true }),
    );
    start();
    expect(screen.getByText(/Only if your proxy asks for one/)).toBeTruthy();
    const proxy = screen.getByLabelText("Proxy");
    await fireEvent.input(proxy, { target: { value: "http://anna@proxy:8080" } });
    await fireEvent.change(proxy);
    await waitFor(() => expect(app.state?.settings.proxy).toBe("http://anna@proxy:8080"));
    calls.mockClear();
    const password = screen.getByLabelText("Proxy password") as HTMLInputElement;
    expect(password.type).toBe("password");
    await fireEvent.input(password, { target: { value: "s3cret" } });
    await fireEvent.change(password);
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
    const rate = screen.getByLabelText("Requests per second");
    await fireEvent.input(rate, { target: { value: "9" } });
    await fireEvent.change(rate);
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
    const password = screen.getByLabelText("Proxy password");
    await fireEvent.input(password, { target: { value: "s3cret" } });
    await fireEvent.change(password);
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
    const cap = screen.getByLabelText("Limit per request (credits)");
    await fireEvent.input(cap, { target: { value: "" } });
    await fireEvent.change(cap);
    expect(
      await screen.findByText(/nothing was saved, and the money settings stay as they were\./),
    ).toBeTruthy();
    expect(document.body.textContent).not.toContain("The job was cancelled.");
    expect(app.state?.settings.credit_cap).toBe(1000);
  });

  it("has one way of saving: no Save buttons, every change saves at once", () => {
    start();
    for (const name of [/^Save$/, /Save costs/, /Save columns/]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
    expect(screen.getByTestId("settings-status").getAttribute("aria-live")).toBe("polite");
  });

  it("shows no balance in Practice, where nothing is spent", () => {
    start({ mode: "practice", balance: 999_999_975 });
    expect(document.body.textContent).not.toContain("999,999,975");
  });
});
