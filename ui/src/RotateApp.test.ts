import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { strings } from "./lib/strings";
import { BackendError } from "./lib/backend";
import { OAUTH_ROTATION_TARGET, OK_REPORT, failedReport, fakeBackend } from "./test/fake-backend";
import RotateApp from "./RotateApp.svelte";

const text = strings.rotate;

describe("RotateApp", () => {
  it("shows the setup on record, checks the new token where the old one was checked, then applies it", async () => {
    const backend = fakeBackend();
    render(RotateApp, { backend });
    await screen.findByText(strings.onRecord.summary(text.method.personal, { email: "me@example.com", clientId: null }), { exact: false });
    expect(document.querySelector('[data-client="cursor"]')).toHaveTextContent(text.modes.inline);
    expect(document.querySelector('[data-client="claude-desktop"]')).toHaveTextContent(text.modes.keychain);
    expect(screen.getByLabelText(strings.credentials.fields.email.label)).toHaveValue("me@example.com");

    const check = screen.getByRole("button", { name: text.check });
    expect(check, "no token yet").toBeDisabled();
    await userEvent.type(screen.getByLabelText(text.newSecret), "ATATT3xNewToken");
    await userEvent.click(check);
    await screen.findByText(text.passed(OK_REPORT.tools.length));
    expect(backend.checkCredential.mock.calls[0][0]).toEqual({
      method: "personal",
      email: "me@example.com",
      clientId: null,
      token: "ATATT3xNewToken",
      endpoint: "onRecord",
      recorded: false,
    });
    expect(backend.rotateCredential, "nothing changes before Apply").not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: text.apply }));
    await screen.findByText(text.finished);
    expect(document.querySelector('[data-client="cursor"]')).toHaveTextContent(strings.write.changes.update);
    expect(document.querySelector('[data-keychain-client="Claude Desktop"]')).toHaveTextContent(text.keychainClient);
    expect(backend.rotateCredential).toHaveBeenCalledTimes(1);
  });

  it("opens the token page of the kind on record, and names the address when no browser opens", async () => {
    const backend = fakeBackend();
    render(RotateApp, { backend });
    const open = await screen.findByRole("button", { name: strings.credentials.openPage.personal });
    await userEvent.click(open);
    expect(backend.openCredentialPage).toHaveBeenCalledWith("personal");

    backend.openCredentialPage.mockRejectedValue(
      new BackendError({
        kind: "internal",
        message: "no browser could be opened; open https://id.atlassian.com/manage-profile/security/api-tokens yourself",
      }),
    );
    await userEvent.click(open);
    expect(await screen.findByRole("alert"), "the failure is shown, with the address to open by hand").toHaveTextContent(
      "open https://id.atlassian.com/manage-profile/security/api-tokens yourself",
    );
  });

  it("offers no Apply for a token the server refused, and explains why", async () => {
    const backend = fakeBackend();
    backend.checkCredential.mockResolvedValue(failedReport({ kind: "unauthorized", httpStatus: 401 }));
    render(RotateApp, { backend });
    await userEvent.type(await screen.findByLabelText(text.newSecret), "ATATT3xRevoked");
    await userEvent.click(screen.getByRole("button", { name: text.check }));
    await screen.findByText(strings.errors.unauthorized);
    expect(screen.queryByRole("button", { name: text.apply })).toBeNull();

    await userEvent.type(screen.getByLabelText(text.newSecret), "x");
    expect(screen.queryByText(strings.errors.unauthorized), "a changed token forgets the old verdict").toBeNull();
  });

  it("says there is nothing to rotate before anything was set up", async () => {
    const backend = fakeBackend();
    backend.rotationTarget.mockRejectedValue(
      new BackendError({ kind: "invalid_input", message: "nothing is set up yet, so there is no token to rotate" }),
    );
    render(RotateApp, { backend });
    await screen.findByText("nothing is set up yet, so there is no token to rotate");
    expect(screen.queryByRole("button", { name: text.check })).toBeNull();
    await waitFor(() => expect(document.body.dataset.ready).toBe("1"));
  });

  it("rotates a service account's OAuth client to a new secret for the client on record", async () => {
    const backend = fakeBackend();
    backend.rotationTarget.mockResolvedValue(structuredClone(OAUTH_ROTATION_TARGET));
    render(RotateApp, { backend });
    const clientId = OAUTH_ROTATION_TARGET.clientId!;
    await screen.findByText(strings.onRecord.summary(text.method["service-oauth"], { email: null, clientId }), { exact: false });
    expect(screen.getByLabelText(strings.credentials.fields.clientId.label), "the client on record stands in").toHaveValue(
      clientId,
    );
    expect(screen.queryByLabelText(strings.credentials.fields.email.label)).toBeNull();
    expect(screen.getByLabelText(strings.credentials.secretExpiry.label)).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2 }), "the step names what is replaced").toHaveTextContent(
      text.steps.clientSecret,
    );

    await userEvent.type(screen.getByLabelText(text.newClientSecret), "new-client-secret");
    await userEvent.click(screen.getByRole("button", { name: text.check }));
    await screen.findByText(text.passedSecret(OK_REPORT.tools.length));
    expect(backend.checkCredential.mock.calls[0][0]).toEqual({
      method: "service-oauth",
      email: null,
      clientId,
      token: "new-client-secret",
      endpoint: "onRecord",
      recorded: false,
    });
  });
});
