import { describe, expect, it } from "vitest";
import { countOf, formatCount, formatMoney } from "./format";

describe("format", () => {
  it("groups numbers and names them in the right number", () => {
    expect(formatCount(1751)).toBe("1,751");
    expect(countOf(1, "credit", "credits")).toBe("1 credit");
    expect(countOf(2500, "credit", "credits")).toBe("2,500 credits");
  });

  it("shows credits as money at the price per credit", () => {
    expect(formatMoney(1000, { amount: 0.02, currency: "EUR" })).toBe("€20.00");
    expect(formatMoney(250, { amount: 0.1, currency: "USD" })).toBe("$25.00");
    expect(formatMoney(10, { amount: 1.5, currency: "not a code" })).toBe("15.00 not a code");
  });
});
