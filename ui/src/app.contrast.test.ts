// The palettes of app.css, checked by WCAG's formula: field and button edges at least 3:1
// against every background they sit on (1.4.11), the sidebar's running count at least 4.5:1
// (1.4.3). The e2e contrast test measures the same in the running app.
import { describe, expect, it } from "vitest";
import css from "./app.css?raw";

/** The custom properties of the block that starts with `selector`. */
function palette(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf("}", start));
  const entries = [...block.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map(
    ([, name, value]) => [name, value] as [string, string],
  );
  return Object.fromEntries(entries);
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** WCAG contrast ratio of two #rrggbb colours. */
function ratio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

describe.each([
  ["light", ":root"],
  ["dark", ':root[data-theme="dark"]'],
])("the %s palette", (_, selector) => {
  const colours = palette(selector);
  const get = (name: string) => {
    const value = colours[name];
    if (!value) throw new Error(`${name} is missing from ${selector}`);
    return value;
  };

  it.each(["--bg", "--surface", "--surface-2", "--progress-bg"])(
    "draws field and button edges at 3:1 or more on %s",
    (background) => {
      expect(ratio(get("--control-border"), get(background))).toBeGreaterThanOrEqual(3);
    },
  );

  it("writes the sidebar's running count at 4.5:1 or more on its badge", () => {
    expect(ratio(get("--accent-text"), get("--accent"))).toBeGreaterThanOrEqual(4.5);
  });
});

it("the WCAG formula gives the known extremes", () => {
  expect(ratio("#000000", "#ffffff")).toBeCloseTo(21, 5);
  expect(ratio("#c3cad5", "#ffffff")).toBeCloseTo(1.65, 2);
});
