import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendError } from "../lib/backend";
import { startWrite } from "../lib/setup";
import { strings } from "../lib/strings";
import { wizard } from "../lib/wizard.svelte";
import { CLIENTS, WRITE_OUTCOME, deferred, fakeBackend, writeResult } from "../test/fake-backend";
import type { WizardWriteOutcome } from "../lib/backend";
import WriteStep from "./WriteStep.svelte";

const text = strings.write;

async function renderWritten(backend = fakeBackend()) {
  wizard.step = 5;
  wizard.clients.list = structuredClone(CLIENTS);
  wizard.clients.chosen = { "claude-desktop": true, cursor: true };
  await startWrite(backend);
  render(WriteStep, { backend });
  return { backend };
}

describe("WriteStep", () => {
  it("writes the ticked clients once, with their modes and the expiry date", async () => {
    const backend = fakeBackend();
    const written = deferred<WizardWriteOutcome>();
    backend.writeClients.mockImplementation(() => written.promise);
    wizard.clients.list = structuredClone(CLIENTS);
    wizard.clients.chosen = { "claude-desktop": true, cursor: true };
    wizard.expiry = "2027-11-27";
    void startWrite(backend);
    void startWrite(backend);
    render(WriteStep, { backend });
    expect(screen.getByRole("status")).toHaveTextContent(text.writing);
    written.resolve(WRITE_OUTCOME);

    expect(await screen.findByRole("list", { name: text.resultsLabel })).toBeInTheDocument();
    expect(backend.writeClients).toHaveBeenCalledOnce();
    expect(backend.writeClients).toHaveBeenCalledWith(
      [
        { id: "claude-desktop", mode: "keychain" },
        { id: "cursor", mode: "inline" },
      ],
      false,
      "2027-11-27",
    );
  });

  it("shows a result per client and who must restart", async () => {
    await renderWritten();
    const results = screen.getByRole("list", { name: text.resultsLabel });
    const items = within(results).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent(text.changes.create);
    expect(items[0]).toHaveTextContent(text.restart("Claude Desktop"));
    expect(items[1]).toHaveTextContent(text.changes.update);
    expect(items[1]).not.toHaveTextContent(text.restart("Cursor"));
    expect(screen.getByText(text.keychainStored("personal:me@example.com"))).toBeInTheDocument();
  });

  it("shows a failed client with its message, and a file that changed after the preview", async () => {
    const backend = fakeBackend();
    backend.writeClients.mockResolvedValue({
      setup: {
        ...WRITE_OUTCOME.setup,
        clients: [
          writeResult("cursor", "Cursor", { change: "update" }),
          writeResult("zed", "Zed", {
            change: null,
            error: { kind: "config_invalid", message: "`settings.json` line 1: expected a value" },
          }),
        ],
      },
      replanned: ["cursor"],
    });
    await renderWritten(backend);
    const items = within(screen.getByRole("list", { name: text.resultsLabel })).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent(text.replanned("Cursor"));
    expect(items[1]).toHaveTextContent(text.failed);
    expect(items[1]).toHaveTextContent("line 1: expected a value");
  });

  it("shows the core's note when a shared file was made private", async () => {
    const backend = fakeBackend();
    const note = "`/home/me/.cursor/mcp.json` could be opened by other users of this computer; it holds the credential now, so it was made readable by you only (0600)";
    backend.writeClients.mockResolvedValue({
      setup: {
        ...WRITE_OUTCOME.setup,
        clients: [writeResult("cursor", "Cursor", { change: "update", note }), writeResult("codex", "Codex")],
      },
      replanned: [],
    });
    await renderWritten(backend);
    const items = within(screen.getByRole("list", { name: text.resultsLabel })).getAllByRole("listitem");
    expect(items[0], "the person learns the mode changed").toHaveTextContent("made readable by you only (0600)");
    expect(items[1]).not.toHaveTextContent("readable by you only");
  });

  it("undoes the write and says what was restored", async () => {
    const user = userEvent.setup();
    const { backend } = await renderWritten();
    await user.click(screen.getByRole("button", { name: text.undo }));

    expect(backend.undoWrite).toHaveBeenCalledOnce();
    const undone = await screen.findByRole("region", { name: text.undoneTitle });
    expect(undone).toHaveTextContent(`Claude Desktop: ${text.undone.delete}`);
    expect(undone).toHaveTextContent(`Cursor: ${text.undone.update}`);
    expect(screen.queryByRole("button", { name: text.undo })).not.toBeInTheDocument();
    expect(screen.queryByText(text.restart("Claude Desktop"))).not.toBeInTheDocument();
    expect(undone, "the keychain is put back with the files").toHaveTextContent(text.credentialRestored);
  });

  it("says the new token stays when a client could not be put back, and why", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.undoWrite.mockResolvedValue({
      clients: [writeResult("cursor", "Cursor", { change: null, error: { kind: "config_write_failed", message: "could not read the backup" } })],
      credential: { status: "kept", reason: "Cursor could not be put back and still uses the new credential" },
    });
    await renderWritten(backend);
    await user.click(screen.getByRole("button", { name: text.undo }));

    const undone = await screen.findByRole("region", { name: text.undoneTitle });
    expect(undone).toHaveTextContent(
      text.credentialKept("Cursor could not be put back and still uses the new credential"),
    );
    expect(undone).not.toHaveTextContent(text.credentialRestored);
  });

  it("shows a keychain that could not be put back as an error, with what to do", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.undoWrite.mockResolvedValue({
      clients: [writeResult("cursor", "Cursor", { change: "update" })],
      credential: { status: "failed", message: "the keychain item could not be put back (the keychain is locked)" },
    });
    await renderWritten(backend);
    await user.click(screen.getByRole("button", { name: text.undo }));

    expect(await screen.findByRole("alert")).toHaveTextContent("the keychain is locked");
  });

  it("says why the write was refused", async () => {
    const backend = fakeBackend();
    backend.writeClients.mockRejectedValue(
      new BackendError({ kind: "invalid_input", message: "check the credential first; nothing was changed" }),
    );
    await renderWritten(backend);
    expect(screen.getByRole("alert")).toHaveTextContent("check the credential first");
  });
});
