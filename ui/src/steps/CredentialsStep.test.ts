import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { strings } from "../lib/strings";
import { defaultExpiry, wizard } from "../lib/wizard.svelte";
import { BackendError } from "../lib/backend";
import { PERSONAL, SERVICE, SERVICE_OAUTH, fakeBackend } from "../test/fake-backend";
import CredentialsStep from "./CredentialsStep.svelte";

const fields = strings.credentials.fields;

function renderStep(answer = PERSONAL, backend = fakeBackend()) {
  wizard.step = 1;
  wizard.method = answer.method;
  wizard.answer = answer;
  render(CredentialsStep, { backend });
  return backend;
}

describe("CredentialsStep", () => {
  it("opens the chosen method's credential page, and names the address when no browser opens", async () => {
    const backend = renderStep(SERVICE);
    await userEvent.click(screen.getByRole("button", { name: strings.credentials.openPage.service }));
    expect(backend.openCredentialPage).toHaveBeenCalledWith("service");

    backend.openCredentialPage.mockRejectedValue(
      new BackendError({ kind: "internal", message: "no browser could be opened; open https://admin.atlassian.com yourself" }),
    );
    await userEvent.click(screen.getByRole("button", { name: strings.credentials.openPage.service }));
    expect(await screen.findByRole("alert")).toHaveTextContent("open https://admin.atlassian.com yourself");
  });

  it("asks a personal token's owner for email and token, each labelled", () => {
    renderStep(PERSONAL);

    const email = screen.getByLabelText(fields.email.label);
    expect(email).toHaveAttribute("type", "email");
    expect(email).toHaveAttribute("autocomplete", "username");
    expect(email).toHaveAccessibleDescription(fields.email.hint);
    expect(screen.getByLabelText(fields.apiToken.label)).toHaveAttribute("type", "password");
    expect(screen.queryByLabelText(fields.serviceKey.label)).not.toBeInTheDocument();
  });

  it("asks a service account only for its key", () => {
    renderStep(SERVICE);

    expect(screen.getByLabelText(fields.serviceKey.label)).toHaveAttribute("type", "password");
    expect(screen.queryByLabelText(fields.email.label)).not.toBeInTheDocument();
    expect(screen.queryByLabelText(fields.apiToken.label)).not.toBeInTheDocument();
  });

  it("reveals and masks the token again with a pressed toggle", async () => {
    const user = userEvent.setup();
    renderStep(PERSONAL);
    const token = screen.getByLabelText(fields.apiToken.label);
    await user.type(token, "ATATT3xFfGF0");

    const toggle = screen.getByRole("button", { name: strings.credentials.show });
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    expect(toggle).toHaveAttribute("aria-controls", token.id);

    await user.click(toggle);
    expect(token).toHaveAttribute("type", "text");
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(toggle).toHaveTextContent(strings.credentials.hide);
    expect(token).toHaveValue("ATATT3xFfGF0");

    await user.click(toggle);
    expect(token).toHaveAttribute("type", "password");
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    expect(toggle).toHaveTextContent(strings.credentials.show);
    expect(wizard.credentials.apiToken).toBe("ATATT3xFfGF0");
  });
});

describe("CredentialsStep for a service account's OAuth client", () => {
  const notes = strings.credentials.cleaning;
  const CLIENT_ID = "9fXk2bq7LmN4pR8sT1vW3yZ5aC6dE0gH";

  it("asks for the client ID in clear and the secret masked, and the secret's expiry", () => {
    renderStep(SERVICE_OAUTH);

    const id = screen.getByLabelText(fields.clientId.label);
    expect(id, "a client ID is not a secret: it is shown to be checked").toHaveAttribute("type", "text");
    expect(id).toHaveAccessibleDescription(fields.clientId.hint);
    expect(screen.getByLabelText(fields.clientSecret.label), "the secret starts masked").toHaveAttribute("type", "password");
    expect(screen.queryByLabelText(fields.email.label)).not.toBeInTheDocument();
    expect(screen.getByLabelText(strings.credentials.secretExpiry.label)).toHaveValue(defaultExpiry());
    expect(screen.queryByLabelText(strings.credentials.expiry.label)).not.toBeInTheDocument();
  });

  it("says that spaces and line breaks around the ID and secret are ignored", async () => {
    const user = userEvent.setup();
    renderStep(SERVICE_OAUTH);
    await user.click(screen.getByLabelText(fields.clientId.label));
    await user.paste(`  ${CLIENT_ID}  `);
    await user.click(screen.getByLabelText(fields.clientSecret.label));
    await user.paste("client-secret-value\n");

    const cleaning = screen.getByRole("region", { name: notes.heading });
    expect(cleaning).toHaveTextContent(notes.trimmedClient);
    expect(cleaning, "no warning for a good pair").not.toHaveTextContent(notes.secretInId);
    expect(cleaning, "the secret is never repeated").not.toHaveTextContent("client-secret-value");
    expect(wizard.credentials.clientId, "the check gets what was pasted and cleans it itself").toBe(`  ${CLIENT_ID}  `);
  });

  it("warns when the secret went into the ID field, and when the ID has a space inside", async () => {
    const user = userEvent.setup();
    renderStep(SERVICE_OAUTH);
    const id = screen.getByLabelText(fields.clientId.label);
    await user.click(id);
    await user.paste("ATOA".repeat(50));
    expect(screen.getByRole("region", { name: notes.heading })).toHaveTextContent(notes.secretInId);

    await user.clear(id);
    await user.paste("9fXk2bq7 LmN4pR8s");
    expect(screen.getByRole("region", { name: notes.heading })).toHaveTextContent(notes.spaceInId);
  });
});

describe("CredentialsStep cleaning and expiry", () => {
  const notes = strings.credentials.cleaning;

  it("says live what the check will use: trimmed, prefix stripped, never blocking", async () => {
    const user = userEvent.setup();
    renderStep(SERVICE);
    const key = screen.getByLabelText(fields.serviceKey.label);

    await user.click(key);
    await user.paste("  Bearer ATATT3xFfGF0-key  ");

    const cleaning = screen.getByRole("region", { name: notes.heading });
    expect(cleaning).toHaveTextContent(notes.token("ATATT3", "ATATT3xFfGF0-key".length));
    expect(cleaning).toHaveTextContent(notes.trimmed);
    expect(cleaning).toHaveTextContent(notes.strippedPrefix("Bearer"));
    expect(cleaning).not.toHaveTextContent(notes.notScoped);
    expect(cleaning).not.toHaveTextContent("xFfGF0");
  });

  it("unpacks a pasted base64 email:token and warns about an unscoped token", async () => {
    const user = userEvent.setup();
    renderStep(PERSONAL);

    await user.click(screen.getByLabelText(fields.apiToken.label));
    await user.paste(`Basic ${btoa("me@example.com:classic-token")}`);

    const cleaning = screen.getByRole("region", { name: notes.heading });
    expect(cleaning).toHaveTextContent(notes.unpacked("me@example.com"));
    expect(cleaning).toHaveTextContent(notes.notScoped);
  });

  it("says at once that a megabyte is not a token", async () => {
    const user = userEvent.setup();
    renderStep(SERVICE);
    const started = performance.now();

    await user.click(screen.getByLabelText(fields.serviceKey.label));
    await user.paste("A".repeat(1024 * 1024));

    expect(screen.getByRole("region", { name: notes.heading })).toHaveTextContent(notes.tooLong);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("asks for the expiry date, one year from today by default, kept in the wizard", async () => {
    const user = userEvent.setup();
    renderStep(PERSONAL);
    const expiry = screen.getByLabelText(strings.credentials.expiry.label);
    expect(expiry).toHaveValue(defaultExpiry());
    expect(defaultExpiry(new Date(2026, 10, 27))).toBe("2027-11-27");

    await user.clear(expiry);
    await user.type(expiry, "2027-01-31");
    expect(wizard.expiry).toBe("2027-01-31");
  });
});
