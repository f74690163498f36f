import { fireEvent, render } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import QueryEditor from "./QueryEditor.svelte";

// jsdom has no layout, so this only checks the wiring; typing is covered end to end.
function mount(value: string) {
  const onchange = vi.fn();
  const onrun = vi.fn();
  const view = render(QueryEditor, {
    value,
    diagnostics: null,
    onchange,
    onrun,
    labelledby: "label",
    describedby: "status",
  });
  const content = view.container.querySelector(".cm-content");
  if (!(content instanceof HTMLElement)) throw new Error("no editor content");
  return { ...view, content, onchange, onrun };
}

describe("QueryEditor", () => {
  it("shows the text, labelled, and follows outside changes", async () => {
    const { content, rerender, onchange } = mount('{"query": {}}');
    expect(content.textContent).toBe('{"query": {}}');
    expect(content.getAttribute("aria-labelledby")).toBe("label");
    expect(content.getAttribute("aria-describedby")).toBe("status");
    await rerender({ value: '{"query": {"match_all": {}}}' });
    expect(content.textContent).toBe('{"query": {"match_all": {}}}');
    expect(onchange).toHaveBeenCalledWith('{"query": {"match_all": {}}}');
  });

  it("runs on Ctrl+Enter", async () => {
    const { content, onrun } = mount("{}");
    await fireEvent.keyDown(content, { key: "Enter", ctrlKey: true });
    expect(onrun).toHaveBeenCalledOnce();
  });

  it("marks diagnostics in the text", async () => {
    const { container, rerender } = mount('{"query": 1}');
    await rerender({
      diagnostics: [{ from: 10, to: 11, severity: "error", message: "Not an object" }],
    });
    expect(container.querySelector(".cm-lintRange-error")?.textContent).toBe("1");
  });
});
