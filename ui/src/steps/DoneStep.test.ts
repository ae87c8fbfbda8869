import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { startWrite, undoWrite } from "../lib/setup";
import { strings } from "../lib/strings";
import { wizard } from "../lib/wizard.svelte";
import { CLIENTS, fakeBackend } from "../test/fake-backend";
import DoneStep from "./DoneStep.svelte";

const text = strings.done;

async function written() {
  const backend = fakeBackend();
  wizard.step = 6;
  wizard.clients.list = structuredClone(CLIENTS);
  wizard.clients.chosen = { "claude-desktop": true, cursor: true };
  wizard.clients.modes = { "claude-desktop": "keychain", cursor: "inline" };
  wizard.expiry = "2027-11-27";
  await startWrite(backend);
  return backend;
}

describe("DoneStep", () => {
  it("sums up what was configured, where the secret is and when the token expires", async () => {
    await written();
    render(DoneStep);
    expect(screen.getByText(text.intro)).toBeInTheDocument();
    const claude = document.querySelector('[data-client="claude-desktop"]');
    expect(claude).toHaveTextContent(text.secretModes.keychain);
    const cursor = document.querySelector('[data-client="cursor"]');
    expect(cursor).toHaveTextContent(text.secretModes.inline);
    expect(screen.getByText(strings.write.keychainStored("personal:me@example.com"))).toBeInTheDocument();
    expect(screen.getByText("2027-11-27")).toBeInTheDocument();
    expect(screen.getByText("Claude Desktop", { selector: "dd" })).toBeInTheDocument();
  });

  it("says nothing was changed after an undo", async () => {
    const backend = await written();
    await undoWrite(backend);
    render(DoneStep);
    expect(screen.getByText(text.noneConfigured)).toBeInTheDocument();
  });
});
