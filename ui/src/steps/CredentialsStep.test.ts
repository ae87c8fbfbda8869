import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { strings } from "../lib/strings";
import { wizard } from "../lib/wizard.svelte";
import { PERSONAL, SERVICE } from "../test/fake-backend";
import CredentialsStep from "./CredentialsStep.svelte";

const fields = strings.credentials.fields;

function renderStep(answer = PERSONAL) {
  wizard.step = 1;
  wizard.method = answer.method;
  wizard.answer = answer;
  render(CredentialsStep);
}

describe("CredentialsStep", () => {
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
