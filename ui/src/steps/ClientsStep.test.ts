import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendError } from "../lib/backend";
import { strings } from "../lib/strings";
import { canAdvance, chosenClients, wizard } from "../lib/wizard.svelte";
import { CLIENTS, EXAMPLE_CORP_POLICY, OK_REPORT, fakeBackend } from "../test/fake-backend";
import ClientsStep from "./ClientsStep.svelte";

const text = strings.clients;

function renderStep(backend = fakeBackend()) {
  wizard.step = 4;
  render(ClientsStep, { backend });
  return { backend };
}

describe("ClientsStep", () => {
  it("lists every client with its state and ticks the detected readable ones", async () => {
    renderStep();
    const list = await screen.findByRole("list", { name: text.listLabel });
    expect(within(list).getAllByRole("checkbox")).toHaveLength(3);
    // Clients not found on this computer wait behind a disclosure, closed while none is ticked.
    const others = screen.getByText(text.others(1)).closest("details");
    expect(others).not.toHaveAttribute("open");
    expect(within(others!).getByRole("checkbox", { name: "Codex" })).toBeInTheDocument();

    expect(screen.getByRole("checkbox", { name: "Claude Desktop" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Cursor" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Codex" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Codex" })).toHaveAccessibleDescription(text.notInstalled);
    expect(screen.getByRole("checkbox", { name: "Cursor" })).toHaveAccessibleDescription(text.installed);
    expect(chosenClients(wizard).map((choice) => choice.id)).toEqual(["claude-desktop", "cursor"]);
    expect(canAdvance(wizard)).toBe(true);
  });

  it("shows a client whose file does not parse with its error, and it cannot be ticked", async () => {
    renderStep();
    const zed = await screen.findByRole("checkbox", { name: "Zed" });
    expect(zed).toBeDisabled();
    expect(zed).not.toBeChecked();
    expect(screen.getByText(/line 1: expected a value/)).toBeInTheDocument();
  });

  it("offers the secret mode where a client has several, keychain first", async () => {
    const user = userEvent.setup();
    renderStep();
    const mode = await screen.findByRole("combobox", { name: text.modeLabel("Claude Desktop") });
    expect(mode).toHaveValue("keychain");
    expect(screen.getByRole("combobox", { name: text.modeLabel("Cursor") }), "Cursor's own mode comes first").toHaveValue(
      "inline",
    );

    await user.selectOptions(mode, "inline");
    expect(chosenClients(wizard)[0]).toEqual({ id: "claude-desktop", mode: "inline" });
  });

  it("explains each chosen client's mode in one line and says which clients cannot take which", async () => {
    const user = userEvent.setup();
    renderStep();
    const cursor = await screen.findByRole("combobox", { name: text.modeLabel("Cursor") });
    const cursorLine = text.modeExplained("inline", { name: "Cursor", stdioBridge: false, keychainVia: "bridge" });
    expect(cursor, "the line describes the select").toHaveAccessibleDescription(cursorLine);
    await user.selectOptions(cursor, "keychain");
    expect(cursor, "and follows the choice").toHaveAccessibleDescription(
      text.modeExplained("keychain", { name: "Cursor", stdioBridge: false, keychainVia: "bridge" }),
    );
    expect(
      screen.getByText(text.modeExplained("keychain", { name: "Claude Desktop", stdioBridge: true, keychainVia: "bridge" })),
    ).toBeInTheDocument();

    const limits = screen.getByRole("list", { name: text.modeLimitsLabel });
    expect(limits, "the clients without keychain mode are named").toHaveTextContent(
      text.modeLimits("keychain", ["Claude Desktop", "Cursor"], ["Zed", "Codex"])!,
    );
    expect(text.modeLimits("prompt", [], ["Cursor"]), "a mode no client has is not listed").toBeNull();
  });

  it("offers every tool directly as a choice with its cost, and previews again with it", async () => {
    const user = userEvent.setup();
    Object.assign(wizard.check, { status: "done", report: OK_REPORT });
    const { backend } = renderStep();
    const allTools = await screen.findByRole("checkbox", { name: text.allTools(4) });
    expect(allTools).not.toBeChecked();
    expect(screen.getByText(text.allToolsCost(3))).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: text.preview }));
    await screen.findByRole("region", { name: text.previewTitle });

    await user.click(allTools);
    expect(screen.queryByRole("region", { name: text.previewTitle })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: text.preview }));
    expect(backend.previewClients).toHaveBeenLastCalledWith(expect.any(Array), true);
  });

  it("previews the change of each ticked client as a diff, and forgets it when a choice changes", async () => {
    const user = userEvent.setup();
    const { backend } = renderStep();
    await user.click(await screen.findByRole("checkbox", { name: "Codex" }));
    await user.click(screen.getByRole("button", { name: text.preview }));

    expect(backend.previewClients).toHaveBeenCalledWith(
      [
        { id: "claude-desktop", mode: "keychain" },
        { id: "cursor", mode: "inline" },
        { id: "codex", mode: "inline" },
      ],
      false,
    );
    const preview = await screen.findByRole("region", { name: text.previewTitle });
    const codex = within(preview).getByRole("article", { name: "Codex" });
    expect(codex.querySelector("pre.diff")).toHaveTextContent("+++ /home/me/.codex/config.toml");
    expect(codex).toHaveTextContent("Basic ••••••••");

    await user.click(screen.getByRole("checkbox", { name: "Cursor" }));
    expect(screen.queryByRole("region", { name: text.previewTitle })).not.toBeInTheDocument();
  });

  it("says why the clients could not be listed", async () => {
    const backend = fakeBackend();
    backend.listClients.mockRejectedValue(new BackendError({ kind: "internal", message: "no home folder" }));
    renderStep(backend);
    expect(await screen.findByRole("alert")).toHaveTextContent("no home folder");
  });

  it("cannot go on with nothing ticked", async () => {
    const user = userEvent.setup();
    renderStep();
    await user.click(await screen.findByRole("checkbox", { name: "Claude Desktop" }));
    await user.click(screen.getByRole("checkbox", { name: "Cursor" }));
    expect(canAdvance(wizard)).toBe(false);
    expect(screen.getByRole("button", { name: text.preview })).toBeDisabled();
  });

  it("shows a secret mode the policy sets as locked and writes every client in it", async () => {
    const backend = fakeBackend();
    backend.currentPolicy.mockResolvedValue(structuredClone(EXAMPLE_CORP_POLICY));
    renderStep(backend);

    const banner = await screen.findByRole("complementary", { name: strings.policy.bannerLabel });
    expect(banner, "the organisation is named").toHaveTextContent("Example Corp");
    const claude = (await screen.findByRole("checkbox", { name: "Claude Desktop" })).closest("li")!;
    await within(claude).findByText(new RegExp(strings.policy.setBy("Example Corp")));
    expect(within(claude).queryByRole("combobox"), "the mode cannot be changed").not.toBeInTheDocument();
    expect(claude, "the locked mode is shown").toHaveTextContent(text.modes.keychain);
    expect(
      chosenClients(wizard).map((choice) => choice.mode),
      "every chosen client is written in the policy's mode",
    ).toEqual(["keychain", "keychain"]);
  });

  it("keeps a service account's OAuth client in the keychain, and a client that cannot reach it there is not offered", async () => {
    wizard.method = "service-oauth";
    const backend = fakeBackend();
    backend.listClients.mockResolvedValue([
      ...structuredClone(CLIENTS),
      {
        ...structuredClone(CLIENTS[1]),
        id: "remote-only",
        name: "Remote Only",
        installed: true,
        modes: ["inline"],
        keychainVia: null,
      },
    ]);
    renderStep(backend);

    const remote = await screen.findByRole("checkbox", { name: "Remote Only" });
    expect(remote, "an access token of an hour cannot sit in its file").toBeDisabled();
    expect(screen.getByText(text.noKeychain("Remote Only"))).toBeInTheDocument();
    const cursor = screen.getByRole("checkbox", { name: "Cursor" }).closest("li")!;
    expect(within(cursor).queryByRole("combobox"), "no mode to choose").not.toBeInTheDocument();
    expect(cursor, "the bridge exchanges the secret for tokens").toHaveTextContent(text.oauthModeExplained("Cursor"));
    expect(screen.getByText(text.oauthKeychain)).toBeInTheDocument();
    expect(chosenClients(wizard), "every chosen client gets a keychain entry").toEqual([
      { id: "claude-desktop", mode: "keychain" },
      { id: "cursor", mode: "keychain" },
    ]);
  });
});
