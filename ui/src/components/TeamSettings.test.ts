import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { TeamSection } from "../lib/backend";
import { calls, on } from "../test/fakeTauri";
import TeamSettings from "./TeamSettings.svelte";

const EXPLAINED = "A team library lets colleagues share the people they collect. Second. Third.";

function section(overrides: Partial<TeamSection> = {}): TeamSection {
  return {
    explained: EXPLAINED,
    settings: { address: null, name: "" },
    password_saved: false,
    status: {
      address: null,
      who: null,
      reachable: null,
      waiting_collections: 0,
      waiting_people: 0,
      last_published: null,
      last_error: null,
      summary: "No team library is set up. Everything is published.",
    },
    checked: null,
    ...overrides,
  };
}

describe("TeamSettings", () => {
  it("explains the team library and connects with the typed password, then forgets it", async () => {
    on("team_section", () => section());
    on("save_team", () =>
      section({
        settings: { address: "postgres://anna@db.example.com/people", name: "Anna" },
        password_saved: true,
        status: { ...section().status, reachable: true, summary: "The team library answers." },
        checked: "Connected. The team library holds 12 people from 2 collections by 1 colleagues.",
      }),
    );
    render(TeamSettings, { practice: false });
    expect(await screen.findByTestId("team-explained")).toHaveProperty("textContent", EXPLAINED);

    await fireEvent.input(screen.getByLabelText("Team library address"), {
      target: { value: " postgres://anna@db.example.com/people " },
    });
    await fireEvent.input(screen.getByLabelText("Your name, as colleagues see it"), {
      target: { value: "Anna" },
    });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "s3cret" } });
    await fireEvent.click(screen.getByTestId("team-connect"));

    expect(calls).toHaveBeenCalledWith("save_team", {
      settings: { address: "postgres://anna@db.example.com/people", name: "Anna" },
      password: { set: "s3cret" },
    });
    await waitFor(() => expect(screen.getByTestId("team-status").textContent).toMatch(/Connected/));
    const box = screen.getByLabelText("Password") as HTMLInputElement;
    expect(box.value).toBe("");
    expect(box.placeholder).toBe("Saved (type to replace it)");
  });

  it("keeps the saved password when the box is left empty, and shows a refusal in words", async () => {
    on("team_section", () =>
      section({
        settings: { address: "postgres://anna@db/people", name: "Anna" },
        password_saved: true,
      }),
    );
    on("save_team", () => {
      throw {
        code: "invalid_input",
        message: "The team library at 10.1.2.3 would be reached without encryption.",
      };
    });
    render(TeamSettings, { practice: false });
    await screen.findByDisplayValue("postgres://anna@db/people");
    await fireEvent.click(screen.getByTestId("team-connect"));
    expect(calls).toHaveBeenCalledWith("save_team", {
      settings: { address: "postgres://anna@db/people", name: "Anna" },
      password: "keep",
    });
    expect(await screen.findByText(/without encryption/)).toBeTruthy();
  });

  it("says Practice never shares its made-up people", async () => {
    on("team_section", () => section());
    render(TeamSettings, { practice: true });
    expect(await screen.findByText(/Practice mode never shares/)).toBeTruthy();
  });
});
