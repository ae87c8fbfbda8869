import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendError, type AuthMethodInfo, type LockedChoices } from "../lib/backend";
import { strings } from "../lib/strings";
import { canAdvance, wizard } from "../lib/wizard.svelte";
import { EXAMPLE_CORP_POLICY, PERSONAL, SERVICE, deferred, fakeBackend } from "../test/fake-backend";
import MethodStep from "./MethodStep.svelte";

const personal = strings.method.options.personal;
const service = strings.method.options.service;

function renderStep(backend = fakeBackend()) {
  render(MethodStep, { backend });
  return { backend };
}

describe("MethodStep", () => {
  it("offers the three methods as labelled radios with their one-line explanations", async () => {
    renderStep();

    const group = await screen.findByRole("group", { name: strings.method.legend });
    const radios = Array.from(group.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
    expect(radios.map((radio) => radio.id)).toEqual(["method-personal", "method-service", "method-service-oauth"]);

    const personalRadio = screen.getByRole("radio", { name: personal.label });
    expect(personalRadio).toHaveAccessibleDescription(personal.explanation);
    expect(personalRadio).not.toBeChecked();
    const serviceRadio = screen.getByRole("radio", { name: service.label });
    expect(serviceRadio).toHaveAccessibleDescription(service.explanation);
    expect(serviceRadio).not.toBeChecked();
    const oauthRadio = screen.getByRole("radio", { name: strings.method.options["service-oauth"].label });
    expect(oauthRadio).toHaveAccessibleDescription(strings.method.options["service-oauth"].explanation);
  });

  it("explains each method as design §2 asks", () => {
    expect(personal.explanation).toContain("Basic base64(email:token)");
    expect(personal.explanation).toContain("id.atlassian.com");
    expect(personal.explanation).toContain("Create API token with scopes");
    expect(service.explanation).toContain("Bearer");
    expect(service.explanation).toContain("Atlassian Administration → Directory → Service accounts");
    const oauth = strings.method.options["service-oauth"];
    expect(oauth.explanation, "when to choose it").toContain("API-token sign-in off");
    expect(oauth.explanation).toContain("access token");
  });

  it("marks the page ready for the end-to-end test once the methods are shown", async () => {
    expect(document.body.dataset.ready).toBeUndefined();
    renderStep();
    await screen.findByRole("radio", { name: personal.label });
    await waitFor(() => expect(document.body.dataset.ready).toBe("1"));
  });

  it("asks the backend about the chosen method and shows its answer", async () => {
    const user = userEvent.setup();
    const { backend } = renderStep();

    await user.click(await screen.findByRole("radio", { name: personal.label }));

    expect(backend.chooseAuthMethod).toHaveBeenCalledExactlyOnceWith("personal");
    const answer = await screen.findByRole("region", { name: new RegExp(personal.label) });
    expect(answer.id).toBe("method-answer");
    expect(answer).toHaveTextContent(PERSONAL.headerTemplate);
    expect(answer).toHaveTextContent(strings.credentials.fields.email.need);
    expect(answer).toHaveTextContent(strings.credentials.fields.apiToken.need);
    expect(answer).not.toHaveTextContent(strings.credentials.fields.serviceKey.need);
    expect(answer).toHaveTextContent(PERSONAL.credentialPageUrl);
    expect(wizard.answer).toEqual(PERSONAL);
  });

  it("is operable by keyboard: arrow keys move the choice and ask again", async () => {
    const user = userEvent.setup();
    const { backend } = renderStep();
    const personalRadio = await screen.findByRole("radio", { name: personal.label });

    personalRadio.focus();
    await user.keyboard(" ");
    await screen.findByText(PERSONAL.headerTemplate);
    await user.keyboard("{ArrowDown}");

    expect(screen.getByRole("radio", { name: service.label })).toBeChecked();
    expect(backend.chooseAuthMethod).toHaveBeenLastCalledWith("service");
    expect(await screen.findByText(SERVICE.headerTemplate)).toBeInTheDocument();
    expect(screen.queryByText(PERSONAL.headerTemplate)).not.toBeInTheDocument();
  });

  it("keeps the latest choice when an earlier answer arrives late", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    const slow = deferred<AuthMethodInfo>();
    backend.chooseAuthMethod.mockImplementationOnce(() => slow.promise);
    renderStep(backend);

    await user.click(await screen.findByRole("radio", { name: personal.label }));
    await user.click(screen.getByRole("radio", { name: service.label }));
    await screen.findByText(SERVICE.headerTemplate);
    slow.resolve(PERSONAL);
    // Let every pending continuation run before looking.
    await new Promise((settled) => setTimeout(settled, 0));

    expect(wizard.method).toBe("service");
    expect(wizard.answer).toEqual(SERVICE);
    expect(screen.queryByText(PERSONAL.headerTemplate)).not.toBeInTheDocument();
  });

  it("shows an IpcError in an alert worded by its kind, and no answer", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    backend.chooseAuthMethod.mockRejectedValueOnce(
      new BackendError({ kind: "invalid_input", message: "unknown authentication method" }),
    );
    renderStep(backend);

    await user.click(await screen.findByRole("radio", { name: service.label }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(strings.errors.invalid_input);
    expect(alert).toHaveTextContent("unknown authentication method");
    expect(alert).not.toHaveTextContent(strings.errors.internal);
    expect(document.getElementById("method-answer")).toBeNull();
    expect(wizard.answer).toBeNull();

    // Trying again asks once more and, this time, shows the answer.
    await user.click(screen.getByRole("button", { name: strings.retry }));
    expect(await screen.findByText(SERVICE.headerTemplate)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(backend.chooseAuthMethod).toHaveBeenCalledTimes(2);
  });

  it("words an unexpected failure as an internal error", async () => {
    const backend = fakeBackend();
    backend.authMethods.mockRejectedValueOnce(new Error("command auth_methods not found"));
    renderStep(backend);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(strings.errors.internal);
    expect(alert).toHaveTextContent("command auth_methods not found");
    expect(screen.queryByRole("radio")).not.toBeInTheDocument();
    expect(document.body.dataset.ready).toBeUndefined();
  });

  it("shows an auth kind the policy does not allow as locked, naming the organisation and its help link", async () => {
    const backend = fakeBackend();
    backend.currentPolicy.mockResolvedValue(structuredClone(EXAMPLE_CORP_POLICY));
    renderStep(backend);

    const banner = await screen.findByRole("complementary", { name: strings.policy.bannerLabel });
    expect(banner, "the banner says who sets the choices").toHaveTextContent(strings.policy.banner("Example Corp"));
    expect(banner, "and where to get help").toHaveTextContent("https://intranet.example.com/ai-tools");
    const personalRadio = await screen.findByRole("radio", { name: personal.label });
    await waitFor(() => expect(personalRadio, "personal tokens are not allowed").toBeDisabled());
    expect(personalRadio, "the lock is read with the choice").toHaveAccessibleDescription(
      `${personal.explanation} ${strings.policy.setBy("Example Corp")}`,
    );
    expect(screen.getByRole("radio", { name: service.label }), "service keys are allowed").toBeEnabled();
  });

  it("locks the OAuth client when the policy keeps secrets in the clients' files, and says why", async () => {
    const backend = fakeBackend();
    backend.currentPolicy.mockResolvedValue({ ...structuredClone(EXAMPLE_CORP_POLICY), authKinds: null, secretMode: "inline" });
    renderStep(backend);

    const oauth = strings.method.options["service-oauth"];
    const oauthRadio = await screen.findByRole("radio", { name: oauth.label });
    await waitFor(() => expect(oauthRadio, "an hour-long token cannot live in a file").toBeDisabled());
    expect(oauthRadio).toHaveAccessibleDescription(`${oauth.explanation} ${strings.policy.oauthNeedsKeychain("Example Corp")}`);
    expect(screen.getByRole("radio", { name: service.label }), "a service key can be written inline").toBeEnabled();
  });

  it("drops a choice made before the policy that locks it arrived", async () => {
    const backend = fakeBackend();
    const policy = deferred<LockedChoices>();
    backend.currentPolicy.mockReturnValue(policy.promise);
    renderStep(backend);
    const oauth = strings.method.options["service-oauth"];
    await userEvent.click(await screen.findByRole("radio", { name: oauth.label }));
    await waitFor(() => expect(wizard.answer?.method).toBe("service-oauth"));

    policy.resolve({ ...structuredClone(EXAMPLE_CORP_POLICY), authKinds: null, secretMode: "inline" });
    await waitFor(() => expect(wizard.method, "the locked choice is dropped").toBeNull());
    expect(canAdvance(wizard), "Next cannot lead on with it").toBe(false);
  });

  it("shows no banner and locks nothing without a policy", async () => {
    renderStep();
    const personalRadio = await screen.findByRole("radio", { name: personal.label });
    expect(personalRadio, "every method is open").toBeEnabled();
    expect(
      screen.queryByRole("complementary", { name: strings.policy.bannerLabel }),
      "no policy, no banner",
    ).not.toBeInTheDocument();
  });

  it("shows a policy that cannot be read with its message, never ignoring it", async () => {
    const backend = fakeBackend();
    const message = "the policy `/etc/rovo-mcp-setup/policy.json` is not JSON (line 1)";
    backend.currentPolicy.mockRejectedValue(new BackendError({ kind: "invalid_input", message }));
    renderStep(backend);

    const alert = await screen.findByRole("alert");
    expect(alert, "the broken policy's file is named").toHaveTextContent(message);
  });
});
