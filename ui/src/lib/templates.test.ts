import { describe, expect, it } from "vitest";
import { TEMPLATES } from "./templates";

describe("TEMPLATES", () => {
  it("are all JSON bodies with a query", () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(4);
    for (const template of TEMPLATES) {
      expect(JSON.parse(template.text)).toHaveProperty("query");
    }
  });

  it("keep experience fields inside a nested query", () => {
    for (const template of TEMPLATES) {
      if (template.text.includes('"experience.')) expect(template.text).toContain('"nested"');
    }
  });

  it("start with the product page's example: Python in description, job title or experience", () => {
    const example = TEMPLATES[0]?.text ?? "";
    expect(example.match(/"query": "Python"/g)).toHaveLength(4);
    expect(example).toContain('"path": "experience"');
  });
});
