import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { calls, on } from "../test/fakeTauri";
import DeleteCollection from "./DeleteCollection.svelte";

describe("DeleteCollection", () => {
  it("asks first, keeping the people unless told otherwise, and says the files stay", async () => {
    on("delete_job", () => ({ job: 4, people_forgotten: 0 }));
    const ondeleted = vi.fn();
    render(DeleteCollection, { id: 4, name: "Python people", people: 1204, ondeleted });

    await fireEvent.click(screen.getByTestId("delete-collection"));
    expect(screen.getByRole("dialog", { name: "Delete “Python people”?" })).toBeTruthy();
    expect(screen.getByText(/files you downloaded stay/)).toBeTruthy();
    const keep = screen.getByRole("checkbox", {
      name: "Keep the 1,204 people it collected in your people library",
    }) as HTMLInputElement;
    expect(keep.checked).toBe(true);
    await fireEvent.click(screen.getByTestId("confirm-delete"));

    expect(calls).toHaveBeenCalledWith("delete_job", { id: 4, keepPeople: true });
    expect(ondeleted).toHaveBeenCalledWith("“Python people” was deleted.");
  });

  it("forgets the people only it brought when the box is cleared", async () => {
    on("delete_job", () => ({ job: 4, people_forgotten: 3 }));
    const ondeleted = vi.fn();
    render(DeleteCollection, { id: 4, name: "A", people: 10, ondeleted });

    await fireEvent.click(screen.getByTestId("delete-collection"));
    await fireEvent.click(screen.getByTestId("keep-people"));
    expect(screen.getByText(/also collected by another collection stay/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId("confirm-delete"));

    expect(calls).toHaveBeenCalledWith("delete_job", { id: 4, keepPeople: false });
    expect(ondeleted).toHaveBeenCalledWith(
      "“A” was deleted and 3 people only it brought were forgotten.",
    );
  });

  it("shows the refusal in words and deletes nothing", async () => {
    on("delete_job", () => {
      throw {
        code: "InvalidState",
        message: "This collection has not finished, so it cannot be deleted yet.",
      };
    });
    const ondeleted = vi.fn();
    render(DeleteCollection, { id: 4, name: "A", people: 0, ondeleted });
    await fireEvent.click(screen.getByTestId("delete-collection"));
    await fireEvent.click(screen.getByTestId("confirm-delete"));
    expect(await screen.findByText(/has not finished/)).toBeTruthy();
    expect(ondeleted).not.toHaveBeenCalled();
  });
});
