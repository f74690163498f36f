import { describe, expect, it } from "vitest";
import { checkLimit, checkWebhook, checkWholeNumber } from "./validation";

describe("checkLimit", () => {
  it("accepts empty (no limit) and whole numbers from 1 to 10,000", () => {
    expect(checkLimit("")).toEqual({ ok: true, value: null });
    expect(checkLimit(" 1 ")).toEqual({ ok: true, value: 1 });
    expect(checkLimit("10000")).toEqual({ ok: true, value: 10000 });
  });

  it.each(["0", "10001", "1.5", "-3", "abc", "1e3"])("refuses %s in plain words", (text) => {
    const result = checkLimit(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/number/);
  });
});

describe("checkWebhook", () => {
  it("accepts empty and https addresses", () => {
    expect(checkWebhook("")).toEqual({ ok: true, value: null });
    expect(checkWebhook("https://example.com/hook")).toEqual({
      ok: true,
      value: "https://example.com/hook",
    });
  });

  it("refuses http and non-addresses with a plain message", () => {
    const http = checkWebhook("http://example.com/hook");
    expect(http.ok).toBe(false);
    if (!http.ok) expect(http.message).toContain("https://");
    const junk = checkWebhook("example dot com");
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.message).toContain("not a web address");
  });
});

describe("checkWholeNumber", () => {
  it("keeps the value within bounds", () => {
    expect(checkWholeNumber("27", 1, 27)).toEqual({ ok: true, value: 27 });
    expect(checkWholeNumber("28", 1, 27).ok).toBe(false);
    expect(checkWholeNumber("", 1, 27).ok).toBe(false);
  });
});
