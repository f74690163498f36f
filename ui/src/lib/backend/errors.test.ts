import { describe, expect, it } from "vitest";
import { BackendError, toBackendError } from "./index";

describe("toBackendError", () => {
  it("keeps the code and message Rust sent", () => {
    const error = toBackendError({ code: "KeychainUnavailable", message: "Unlock it." });
    expect(error).toBeInstanceOf(BackendError);
    expect(error.code).toBe("KeychainUnavailable");
    expect(error.message).toBe("Unlock it.");
  });

  it("keeps the job the error points at, when there is one", () => {
    expect(toBackendError({ code: "DuplicateInProgress", message: "409", job: 7 }).job).toBe(7);
    expect(toBackendError({ code: "Network", message: "down" }).job).toBeUndefined();
    expect(toBackendError({ code: "Busy", message: "held", job: "7" }).job).toBeUndefined();
  });

  it("wraps anything else as an internal error", () => {
    const error = toBackendError("boom");
    expect(error.code).toBe("Internal");
    expect(error.message).toBe("boom");
  });
});
