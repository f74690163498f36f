import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { appStateFixture, calls, on } from "../test/fakeTauri";
import FirstRun from "./FirstRun.svelte";

describe("First run", () => {
  it("enters Practice mode", async () => {
    on("choose_mode", ({ mode }) => appStateFixture({ mode: mode as "practice" }));
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Practice mode" }));
    expect(calls).toHaveBeenCalledWith("choose_mode", { mode: "practice" });
    expect(app.state?.mode).toBe("practice");
  });

  it("verifies a pasted key and enters Live mode", async () => {
    on("save_key", () => appStateFixture({ mode: "live", key_hint: "••••a1b2" }));
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Use my Coresignal API key" }));
    const verify = screen.getByRole("button", { name: "Verify" });
    expect(verify).toHaveProperty("disabled", true);
    await fireEvent.input(screen.getByLabelText("Coresignal API key"), {
      target: { value: "  secret-key  " },
    });
    await fireEvent.click(verify);
    expect(calls).toHaveBeenCalledWith("save_key", { key: "secret-key" });
    expect(app.state?.mode).toBe("live");
  });

  it("says where the API key is, beside the field", async () => {
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Use my Coresignal API key" }));
    const help = screen.getByTestId("key-help");
    expect(help.querySelector("summary")?.textContent).toBe("Where do I find my API key?");
    expect(help.textContent).toContain("Coresignal dashboard");
    expect(help.textContent).toContain("Authentication and API keys");
  });

  it("asks which plan the account is on and records the answer as the plan", async () => {
    on("save_key", () => appStateFixture({ mode: "live" }));
    on("save_settings", ({ settings }) =>
      appStateFixture({ mode: "live", settings: settings as never }),
    );
    app.set(
      appStateFixture({
        mode: null,
        settings: { ...appStateFixture().settings, plan_known: false },
      }),
    );
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Use my Coresignal API key" }));
    await fireEvent.click(
      screen.getByRole("radio", { name: /An older plan: 1 credit per profile/ }),
    );
    await fireEvent.input(screen.getByLabelText("Coresignal API key"), {
      target: { value: "secret-key" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    // The setting already said 1, but only as a default: the answer makes it the plan.
    await waitFor(() => expect(app.state?.settings.plan_known).toBe(true));
    expect(app.state?.settings.credits_per_record).toBe(1);
  });

  it("leaves the plan unknown when the person does not know it (prices say they assume 10)", async () => {
    on("save_key", () =>
      appStateFixture({
        mode: "live",
        settings: { ...appStateFixture().settings, plan_known: false },
      }),
    );
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Use my Coresignal API key" }));
    expect(screen.getByRole("radio", { name: /I don't know/ })).toHaveProperty("checked", true);
    await fireEvent.input(screen.getByLabelText("Coresignal API key"), {
      target: { value: "secret-key" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    await waitFor(() => expect(app.state?.mode).toBe("live"));
    expect(app.state?.settings.plan_known).toBe(false);
    expect(calls.mock.calls.filter(([command]) => command === "save_settings")).toHaveLength(0);
  });

  it("explains a rejected key in plain words", async () => {
    on("save_key", () => {
      throw { code: "KeyRejected", message: "Coresignal answered 401." };
    });
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Use my Coresignal API key" }));
    await fireEvent.input(screen.getByLabelText("Coresignal API key"), {
      target: { value: "wrong" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    const error = await screen.findByTestId("error-message");
    expect(error.textContent).toContain("Coresignal did not accept your API key.");
    expect(error.textContent).toContain("Coresignal answered 401.");
    expect(app.state).toBeNull();
  });
});
