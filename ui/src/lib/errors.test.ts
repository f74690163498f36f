import { describe, expect, it } from "vitest";
import { BackendError } from "./backend";
import { describeError, ERROR_TEXT } from "./errors";

describe("ERROR_TEXT", () => {
  // The type (`satisfies Record<ErrorCode, …>`) makes every code present; this checks the words.
  it.each(Object.entries(ERROR_TEXT))("%s has a title and a next step", (_code, text) => {
    expect(text.title.length).toBeGreaterThan(10);
    expect(text.next.length).toBeGreaterThan(10);
    expect(text.title).not.toEqual(text.next);
  });

  it("covers the codes the brief names", () => {
    expect(ERROR_TEXT.InsufficientCredits.next).toContain("Top up");
    expect(ERROR_TEXT.KeyRejected.next).toContain("Settings");
    expect(ERROR_TEXT.KeychainUnavailable.next).toMatch(/unlock/i);
    expect(ERROR_TEXT.Network.next).toMatch(/proxy/);
    expect(ERROR_TEXT.CollectedBefore.next).toContain("Collect again");
  });

  it("says a No in the computer's own window was the person's choice, not a cancelled job", () => {
    const shown = describeError({
      code: "Declined",
      message: "You said No: nothing was sent and nothing was spent.",
    });
    expect(shown.title).toBe("You said No, so nothing was done.");
    expect(shown.detail).toContain("nothing was spent");
    expect(shown.title).not.toEqual(ERROR_TEXT.Cancelled.title);
  });
});

describe("describeError", () => {
  it("uses the code's words and keeps the backend message as the detail", () => {
    const shown = describeError(new BackendError("KeyRejected", "401 from the service"));
    expect(shown).toEqual({
      code: "KeyRejected",
      title: ERROR_TEXT.KeyRejected.title,
      next: ERROR_TEXT.KeyRejected.next,
      detail: "401 from the service",
      job: null,
    });
  });

  it("keeps the job an error points at, for “Open the collection”", () => {
    const shown = describeError({ code: "CollectedBefore", message: "Collected before.", job: 4 });
    expect(shown.job).toBe(4);
    expect(shown.title).toBe(ERROR_TEXT.CollectedBefore.title);
  });

  it("reads raw {code, message} objects as the bridge delivers them", () => {
    expect(describeError({ code: "Network", message: "timed out" }).title).toBe(
      ERROR_TEXT.Network.title,
    );
  });

  it("treats unknown codes and plain errors as internal, keeping their text", () => {
    const unknown = describeError({ code: "Brand new", message: "??" });
    expect(unknown.code).toBe("Brand new");
    expect(unknown.title).toBe(ERROR_TEXT.Internal.title);
    const plain = describeError(new Error("boom"));
    expect(plain.code).toBe("Internal");
    expect(plain.detail).toBe("boom");
  });
});
