import { describe, expect, it } from "vitest";
import { batchProgress, roughWait, typicalTime } from "./waiting";

describe("waiting", () => {
  it("says how far a collection of batches is, in batches and profiles", () => {
    expect(batchProgress({ total: 3, done: 2, profiles: 25_000, profiles_ready: 20_000 })).toBe(
      "2 of 3 batches ready, 20,000 of 25,000 profiles",
    );
    expect(batchProgress({ total: 1, done: 0, profiles: 1, profiles_ready: 0 })).toBe(
      "0 of 1 batch ready, 0 of 1 profile",
    );
  });

  it("gives waits in round figures", () => {
    expect(roughWait(20)).toBe("under a minute");
    expect(roughWait(250)).toBe("about 4 min");
    expect(roughWait(3_600)).toBe("about 1 h");
    expect(roughWait(7_800)).toBe("about 2 h 10 min");
  });

  it("takes the typical time from this computer's collections, saying how many", () => {
    expect(typicalTime({ median_secs: 250, from: 6 }, false, false)).toBe(
      "Typical time: about 4 min (the middle of your last 6 here, from sending to files ready).",
    );
    expect(typicalTime({ median_secs: 30, from: 1 }, false, true)).toBe(
      "Typical time: under a minute for each batch (your last collection here, from sending to files ready).",
    );
  });

  it("says honestly that Coresignal publishes no typical time when there is none of its own", () => {
    expect(typicalTime({ median_secs: null, from: 0 }, false, false)).toContain(
      "Coresignal does not publish one",
    );
    expect(typicalTime(null, true, false)).toBe("Typical time: a few seconds in Practice.");
  });
});
