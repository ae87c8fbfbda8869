import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { startWrite, undoWrite } from "../lib/setup";
import { strings } from "../lib/strings";
import { wizard } from "../lib/wizard.svelte";
import { CLIENTS, EXAMPLE_CORP_POLICY, fakeBackend } from "../test/fake-backend";
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
    const backend = await written();
    render(DoneStep, { backend });
    expect(screen.getByText(text.intro)).toBeInTheDocument();
    const claude = document.querySelector('[data-client="claude-desktop"]');
    expect(claude).toHaveTextContent(text.secretModes.keychain);
    const cursor = document.querySelector('[data-client="cursor"]');
    expect(cursor).toHaveTextContent(text.secretModes.inline);
    expect(screen.getByText(strings.write.keychainStored("personal:me@example.com"))).toBeInTheDocument();
    expect(screen.getByText("2027-11-27")).toBeInTheDocument();
    expect(screen.getByText("Claude Desktop", { selector: "dd" })).toBeInTheDocument();
  });

  it("names the client secret's expiry for a service account's OAuth client", async () => {
    const backend = await written();
    wizard.method = "service-oauth";
    render(DoneStep, { backend });
    expect(screen.getByText(text.secretExpiry), "it is the secret that expires, not a token").toBeInTheDocument();
    expect(screen.queryByText(text.expiry)).toBeNull();
  });

    it("says nothing was changed after an undo", async () => {
    const backend = await written();
    await undoWrite(backend);
    render(DoneStep, { backend });
    expect(screen.getByText(text.noneConfigured)).toBeInTheDocument();
    await waitFor(() => expect(backend.startAtLogin).toHaveBeenCalled());
    expect(backend.setStartAtLogin, "nothing set up: nothing to be reminded of").not.toHaveBeenCalled();
  });

  it("turns keep me reminded on once by default, and off when unticked", async () => {
    const backend = await written();
    const first = render(DoneStep, { backend });
    const box = screen.getByRole("checkbox", { name: text.reminded.label });
    await waitFor(() => expect(box).toBeChecked());
    expect(backend.setStartAtLogin).toHaveBeenCalledWith(true);

    backend.startAtLogin.mockResolvedValue({ available: true, enabled: true });
    await userEvent.click(box);
    await waitFor(() => expect(box).not.toBeChecked());
    expect(backend.setStartAtLogin).toHaveBeenLastCalledWith(false);

    first.unmount();
    backend.startAtLogin.mockResolvedValue({ available: true, enabled: false });
    render(DoneStep, { backend });
    await waitFor(() => expect(backend.startAtLogin).toHaveBeenCalledTimes(2));
    expect(backend.setStartAtLogin, "coming back to the step keeps the person's choice").toHaveBeenCalledTimes(2);
  });

  it("shows start at login on and locked when the policy turns it on", async () => {
    const backend = await written();
    backend.currentPolicy.mockResolvedValue({ ...EXAMPLE_CORP_POLICY, startAtLogin: true });
    backend.startAtLogin.mockResolvedValue({ available: true, enabled: true });
    render(DoneStep, { backend });
    const box = screen.getByRole("checkbox", { name: text.reminded.label });
    await waitFor(() => expect(box, "the policy keeps it on").toBeChecked());
    expect(box, "the person cannot turn it off").toBeDisabled();
    expect(box).toHaveAccessibleDescription(expect.stringContaining(strings.policy.setBy("Example Corp")));
    expect(backend.setStartAtLogin, "the app turned it on at start; nothing to set here").not.toHaveBeenCalled();
  });

  it("never turns it on by default when the policy says no", async () => {
    const backend = await written();
    backend.currentPolicy.mockResolvedValue({ ...EXAMPLE_CORP_POLICY, startAtLogin: false });
    render(DoneStep, { backend });
    await screen.findByText(strings.policy.setBy("Example Corp"), { exact: false });
    const box = screen.getByRole("checkbox", { name: text.reminded.label });
    expect(box, "the person cannot turn it on").toBeDisabled();
    expect(box, "shown off, as the policy has it").not.toBeChecked();
    expect(backend.setStartAtLogin, "the default-on must not override the policy").not.toHaveBeenCalled();
  });

  it("lets an entry the person made be turned off, never on, when the policy says no", async () => {
    const backend = await written();
    backend.currentPolicy.mockResolvedValue({ ...EXAMPLE_CORP_POLICY, startAtLogin: false });
    backend.startAtLogin.mockResolvedValue({ available: true, enabled: true });
    backend.setStartAtLogin.mockResolvedValue({ available: true, enabled: false });
    render(DoneStep, { backend });
    const box = screen.getByRole("checkbox", { name: text.reminded.label });
    await waitFor(() => expect(box, "shown on, as the desktop has it").toBeChecked());
    expect(box).toHaveAccessibleDescription(expect.stringContaining(text.reminded.lockedOffYours));
    expect(box, "the person can turn their own entry off").toBeEnabled();

    await userEvent.click(box);
    expect(backend.setStartAtLogin).toHaveBeenCalledWith(false);
    await waitFor(() => expect(box, "off now").not.toBeChecked());
    expect(box, "and it cannot be turned on again").toBeDisabled();
  });

  it("explains that the demo does not start at login", async () => {
    const backend = await written();
    backend.startAtLogin.mockResolvedValue({ available: false, enabled: false });
    render(DoneStep, { backend });
    await screen.findByText(text.reminded.unavailable);
    expect(screen.getByRole("checkbox", { name: text.reminded.label })).toBeDisabled();
    expect(backend.setStartAtLogin).not.toHaveBeenCalled();
  });
});
