import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { strings } from "./lib/strings";
import { fakeBackend } from "./test/fake-backend";
import Root from "./Root.svelte";

describe("Root", () => {
  it("shows the wizard with the demo banner in the demo", async () => {
    const backend = fakeBackend();
    backend.appMode.mockResolvedValue({ demoHome: "/sandbox/home" });
    render(Root, { backend, view: "setup" });
    await screen.findByText(strings.demo.sandbox("/sandbox/home"));
    expect(screen.getByRole("note")).toHaveTextContent(strings.demo.title);
    expect(await screen.findByText(strings.method.legend)).toBeInTheDocument();
  });

  it("shows the rotate window in the window labelled for it, and no banner outside the demo", async () => {
    const backend = fakeBackend();
    render(Root, { backend, view: "rotate" });
    await screen.findByRole("heading", { name: strings.rotate.title });
    expect(screen.queryByRole("note")).toBeNull();
  });

  it("offers to rotate from the first step when a setup is on record", async () => {
    const backend = fakeBackend();
    render(Root, { backend, view: "setup" });
    const rotate = await screen.findByRole("button", { name: strings.onRecord.rotate });
    await userEvent.click(rotate);
    expect(backend.openRotateWindow).toHaveBeenCalledTimes(1);
  });

  it("shows a setup on v1 and moves it to v2 by checking the credential on record, no token typed", async () => {
    const backend = fakeBackend();
    render(Root, { backend, view: "setup" });
    expect(
      await screen.findByText(strings.onRecord.v1("http://127.0.0.1:9/v1/mcp", "http://127.0.0.1:9/v2/mcp")),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: strings.onRecord.moveToV2 }));
    expect(backend.checkCredential).toHaveBeenCalledWith(
      expect.objectContaining({ method: "personal", recorded: true, token: "", endpoint: "v2OfRecord" }),
      expect.any(Function),
    );
    expect(await screen.findByText(strings.check.okHeading)).toBeInTheDocument();
    expect(backend.chooseAuthMethod).toHaveBeenCalledWith("personal");
  });
});
