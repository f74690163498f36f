import { describe, expect, it } from "vitest";
import { BackendError, toBackendError } from "./index";

describe("toBackendError", () => {
  it("keeps the code and message Rust sent", () => {
    const error = toBackendError({ code: "KeychainUnavailable", message: "Unlock it." });
    expect(error).toBeInstanceOf(BackendError);
    expect(error.code).toBe("KeychainUnavailable");
    expect(error.message).toBe("Unlock it.");
  });

  it("wraps anything else as an internal error", () => {
    const error = toBackendError("boom");
    expect(error.code).toBe("Internal");
    expect(error.message).toBe("boom");
  });
});
