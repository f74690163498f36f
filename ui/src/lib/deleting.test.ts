import { describe, expect, it } from "vitest";
import { deletable, deletedLine, deleteQuestion } from "./deleting";

describe("deleting a collection", () => {
  it("is offered only once the collection has finished", () => {
    expect(deletable("downloaded", ["open_folder"])).toBe(true);
    expect(deletable("cancelled", [])).toBe(true);
    expect(deletable("downloading", ["cancel"])).toBe(false);
    expect(deletable("uncertain", ["attach", "send_again"])).toBe(false);
    expect(deletable("insufficient_credits", ["retry"])).toBe(false);
  });

  it("is not offered while a paid request can still be downloaded", () => {
    expect(deletable("cancelled", ["download_paid"])).toBe(false);
  });

  it("asks whether to keep the people, with their number, and says the files stay", () => {
    const question = deleteQuestion("Python people", 1204);
    expect(question.title).toBe("Delete “Python people”?");
    expect(question.keep).toBe("Keep the 1,204 people it collected in your people library");
    expect(question.body).toContain("files you downloaded stay");
    expect(deleteQuestion("Empty", 0).keep).toBeNull();
  });

  it("says what was forgotten", () => {
    expect(deletedLine("A", 0)).toBe("“A” was deleted.");
    expect(deletedLine("A", 3)).toBe(
      "“A” was deleted and 3 people only it brought were forgotten.",
    );
  });
});
