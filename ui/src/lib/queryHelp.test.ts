import { describe, expect, it } from "vitest";
import { catalogueFixture } from "../test/fakeTauri";
import { helpFor, quotedWordBefore, suggestions, wordAt } from "./queryHelp";

const catalogue = {
  ...catalogueFixture,
  query_types: [
    { name: "match", help: "Finds the words, in any order." },
    { name: "nested", help: "Searches inside work history or education." },
  ],
};

describe("query help", () => {
  it("finds the quoted word being typed", () => {
    expect(quotedWordBefore('{"query": {"ma')).toBe("ma");
    expect(quotedWordBefore('{"query": {"')).toBe("");
    expect(quotedWordBefore('{"query": {')).toBeNull();
  });

  it("suggests query types and field names from the catalogue, with their help", () => {
    expect(suggestions(catalogue, "ma").map((s) => s.label)).toEqual(["match"]);
    const company = suggestions(catalogue, "experience.c");
    expect(company).toHaveLength(1);
    expect(company[0]).toMatchObject({
      label: "experience.company_name",
      detail: "Company (current or past)",
    });
    expect(company[0]?.info).toContain('"path": "experience"');
    expect(suggestions(catalogue, "").length).toBe(
      catalogue.query_types.length + catalogue.fields.length,
    );
  });

  it("explains a field or a query type under the pointer", () => {
    const text = '{"match": {"job_title": "cto"}}';
    const at = wordAt(text, text.indexOf("job_") + 2);
    expect(at.word).toBe("job_title");
    expect(helpFor(catalogue, at.word)).toBe("Current job title: Current job title.");
    expect(helpFor(catalogue, "nested")).toContain("Searches inside");
    expect(helpFor(catalogue, "cto")).toBeNull();
  });
});
