import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { AuthMethodInfo, ProbeReport } from "./lib/backend";
import { strings } from "./lib/strings";
import { STEPS } from "./lib/wizard.svelte";
import { OK_REPORT, PERSONAL, SERVICE, deferred, fakeBackend } from "./test/fake-backend";

const options = strings.method.options;

function nextButton() {
  return screen.getByRole("button", { name: strings.next });
}

describe("App", () => {
  it("lists the seven steps in order and marks the first as current", async () => {
    render(App, { backend: fakeBackend() });

    const nav = screen.getByRole("navigation", { name: strings.stepsLabel });
    const items = within(nav).getAllByRole("listitem");
    expect(items.map((item) => item.textContent?.replace(/\s+/g, " ").trim())).toEqual(
      STEPS.map((id, index) => `${index + 1} ${strings.steps[id].name}`),
    );
    expect(items.map((item) => item.getAttribute("aria-current"))).toEqual([
      "step", null, null, null, null, null, null,
    ]);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(strings.productName);
    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent(strings.steps.method.title);
    await screen.findByRole("radio", { name: options.personal.label });
  });

  it("keeps Next disabled until a method is chosen and its answer has arrived", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const answer = deferred<AuthMethodInfo>();
    backend.chooseAuthMethod.mockImplementationOnce(() => answer.promise);
    render(App, { backend });

    await screen.findByRole("radio", { name: options.personal.label });
    expect(nextButton()).toBeDisabled();
    expect(screen.queryByRole("button", { name: strings.back })).not.toBeInTheDocument();

    await user.click(screen.getByRole("radio", { name: options.personal.label }));
    expect(nextButton()).toBeDisabled();

    answer.resolve(PERSONAL);
    await screen.findByText(PERSONAL.headerTemplate);
    expect(nextButton()).toBeEnabled();
  });

  it("keeps Next disabled when the backend refuses the choice", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.chooseAuthMethod.mockRejectedValueOnce("choose_auth_method failed");
    render(App, { backend });

    await user.click(await screen.findByRole("radio", { name: options.service.label }));

    expect(await screen.findByRole("alert")).toHaveTextContent(strings.errors.internal);
    expect(nextButton()).toBeDisabled();
  });

  it("moves to the credentials step, focuses its heading, and Back keeps the choice", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    render(App, { backend });

    await user.click(await screen.findByRole("radio", { name: options.service.label }));
    await screen.findByText(SERVICE.headerTemplate);
    await user.click(nextButton());

    const title = screen.getByRole("heading", { level: 2 });
    expect(title).toHaveTextContent(strings.steps.credentials.title);
    expect(title).toHaveAccessibleDescription(strings.stepPosition(2, STEPS.length));
    expect(title).toHaveFocus();
    expect(screen.getByText(strings.steps.credentials.name).closest("li")).toHaveAttribute("aria-current", "step");
    expect(screen.getByLabelText(strings.credentials.fields.serviceKey.label)).toBeInTheDocument();
    // Next is "Check" here, and needs the key first.
    expect(screen.getByRole("button", { name: strings.checkCredential })).toBeDisabled();
    await user.type(screen.getByLabelText(strings.credentials.fields.serviceKey.label), "service-key");

    await user.click(screen.getByRole("button", { name: strings.back }));

    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent(strings.steps.method.title);
    expect(screen.getByRole("heading", { level: 2 })).toHaveFocus();
    expect(screen.getByRole("radio", { name: options.service.label })).toBeChecked();
    expect(screen.getByRole("radio", { name: options.personal.label })).not.toBeChecked();
    expect(screen.getByText(SERVICE.headerTemplate)).toBeInTheDocument();
    expect(nextButton()).toBeEnabled();
    // Coming back neither reloads the methods nor asks about the method again.
    expect(backend.authMethods).toHaveBeenCalledTimes(1);
    expect(backend.chooseAuthMethod).toHaveBeenCalledTimes(1);

    await user.click(nextButton());
    expect(screen.getByLabelText(strings.credentials.fields.serviceKey.label)).toHaveValue("service-key");
  });

  it("checks once on a double click of Check, then leads to the tools", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const report = deferred<ProbeReport | null>();
    backend.checkCredential.mockImplementation(() => report.promise);
    render(App, { backend });

    await user.click(await screen.findByRole("radio", { name: options.service.label }));
    await screen.findByText(SERVICE.headerTemplate);
    await user.click(nextButton());
    await user.type(screen.getByLabelText(strings.credentials.fields.serviceKey.label), "ATATT3key");
    await user.dblClick(screen.getByRole("button", { name: strings.checkCredential }));

    expect(backend.checkCredential).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent(strings.steps.check.title);
    expect(nextButton()).toBeDisabled();

    report.resolve(OK_REPORT);
    await screen.findByText(strings.check.okHeading);
    await user.click(nextButton());
    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent(strings.steps.tools.title);
  });

  it("cancels a running check when the person goes back", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const report = deferred<ProbeReport | null>();
    backend.checkCredential.mockImplementation(() => report.promise);
    backend.cancelCheck.mockImplementation(async () => report.resolve(null));
    render(App, { backend });

    await user.click(await screen.findByRole("radio", { name: options.service.label }));
    await screen.findByText(SERVICE.headerTemplate);
    await user.click(nextButton());
    await user.type(screen.getByLabelText(strings.credentials.fields.serviceKey.label), "ATATT3key");
    await user.click(screen.getByRole("button", { name: strings.checkCredential }));
    await user.click(screen.getByRole("button", { name: strings.back }));

    expect(backend.cancelCheck).toHaveBeenCalledOnce();
    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent(strings.steps.credentials.title);
  });
});
