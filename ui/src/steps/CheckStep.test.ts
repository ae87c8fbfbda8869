import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ErrorKind, ProbeProgress, ProbeReport } from "../lib/backend";
import { startCheck } from "../lib/check";
import { strings } from "../lib/strings";
import { wizard } from "../lib/wizard.svelte";
import { LIMITED_REPORT, OK_REPORT, SERVICE, SERVICE_OAUTH, deferred, failedReport, fakeBackend } from "../test/fake-backend";
import CheckStep from "./CheckStep.svelte";

const text = strings.check;
const TOKEN = "ATATT3xFfGF0-secret";

function setUp() {
  wizard.step = 2;
  wizard.method = "service";
  wizard.answer = SERVICE;
  wizard.credentials.serviceKey = TOKEN;
}

/** Renders the step with a check whose progress and report the test releases. */
function renderRunning() {
  setUp();
  const backend = fakeBackend();
  const report = deferred<ProbeReport | null>();
  let progress: (stage: ProbeProgress) => void = () => {};
  backend.checkCredential.mockImplementation((_request, onProgress) => {
    progress = onProgress;
    return report.promise;
  });
  const onback = vi.fn();
  void startCheck(backend);
  render(CheckStep, { backend, onback });
  return { backend, report, progress: (stage: ProbeProgress) => progress(stage), onback };
}

async function renderDone(result: ProbeReport) {
  const running = renderRunning();
  running.report.resolve(result);
  await waitFor(() => expect(wizard.check.status).toBe("done"));
  return running;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("CheckStep", () => {
  it("sends the token once and shows each stage as it arrives", async () => {
    const { backend, progress } = renderRunning();
    expect(backend.checkCredential).toHaveBeenCalledExactlyOnceWith(
      { method: "service", email: null, clientId: null, token: TOKEN, endpoint: "recommended", recorded: false },
      expect.any(Function),
    );

    progress({ stage: "connecting" });
    expect(await screen.findByRole("status")).toHaveTextContent(text.stages.connecting);
    progress({ stage: "signedIn" });
    progress({ stage: "listingTools", page: 2 });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(text.listingPage(2)));
  });

  it("sends a service account's OAuth client as its ID and secret", async () => {
    Object.assign(wizard, { step: 2, method: "service-oauth", answer: SERVICE_OAUTH });
    Object.assign(wizard.credentials, { clientId: "client-id", clientSecret: "client-secret", serviceKey: "unused" });
    const backend = fakeBackend();
    await startCheck(backend);
    expect(backend.checkCredential).toHaveBeenCalledExactlyOnceWith(
      {
        method: "service-oauth",
        email: null,
        clientId: "client-id",
        token: "client-secret",
        endpoint: "recommended",
        recorded: false,
      },
      expect.any(Function),
    );
  });

  it("starts one check however often it is asked while one runs", async () => {
    const { backend } = renderRunning();
    await startCheck(backend);
    await startCheck(backend);
    expect(backend.checkCredential).toHaveBeenCalledTimes(1);
  });

  it("cancels, says so, and can check again", async () => {
    const user = userEvent.setup();
    const { backend, report } = renderRunning();
    backend.cancelCheck.mockImplementation(async () => report.resolve(null));

    await user.click(screen.getByRole("button", { name: text.cancel }));

    expect(await screen.findByText(text.cancelled)).toBeInTheDocument();
    expect(backend.cancelCheck).toHaveBeenCalledOnce();
    backend.checkCredential.mockResolvedValue(OK_REPORT);
    await user.click(screen.getByRole("button", { name: text.again }));
    expect(await screen.findByText(text.okHeading)).toBeInTheDocument();
  });

  it("names the account and counts the tools of a working credential", async () => {
    await renderDone(OK_REPORT);
    expect(screen.getByText(text.okHeading)).toBeInTheDocument();
    expect(screen.getByText(text.signedInAs("Stand-in Person (stand-in@example.com)"))).toBeInTheDocument();
    expect(screen.getByText(text.okSummary(4, 3))).toBeInTheDocument();
  });

  it("explains a limited credential by its cause, shows the core's warnings, and leads back", async () => {
    const user = userEvent.setup();
    const { onback } = await renderDone(LIMITED_REPORT);
    expect(screen.getByText(text.limitedHeadings.scopes_match_no_tool)).toBeInTheDocument();
    expect(screen.getByText("Signed in, but only the platform tools are listed.")).toBeInTheDocument();
    expect(screen.getByText("Create a token with scopes.")).toBeInTheDocument();
    expect(screen.getByText("The token does not start with ATATT3.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: text.backToCredentials }));
    expect(onback).toHaveBeenCalledOnce();
  });

  const kinds = Object.keys(strings.failures) as ErrorKind[];
  it.each(kinds)("gives %s its own message, likely cause and next action", async (kind) => {
    await renderDone(failedReport({ kind, message: "the server said no", hint: "do this next" }));
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(strings.errors[kind]);
    expect(alert).toHaveTextContent(strings.failures[kind].cause);
    expect(alert).toHaveTextContent(strings.failures[kind].action);
    expect(alert).toHaveTextContent("The server said no.");
    expect(alert).toHaveTextContent("Do this next.");
  });

  it("copies redacted details to the clipboard", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async (_text: string) => {});
    vi.stubGlobal("navigator", { clipboard: { writeText } });
    await renderDone(
      failedReport({ kind: "unauthorized", httpStatus: 401, message: "refused", bodyExcerpt: "Unauthorized" }),
    );

    await user.click(screen.getByRole("button", { name: text.copyDetails }));

    expect(await screen.findByText(text.copied)).toBeInTheDocument();
    const copied = writeText.mock.calls[0][0];
    expect(copied).toContain("kind: unauthorized");
    expect(copied).toContain("http status: 401");
    expect(copied).toContain("body excerpt: Unauthorized");
    expect(copied).toContain("endpoint: http://127.0.0.1:9/v1/mcp");
    expect(copied).not.toContain(TOKEN);
  });

  it("shows the details in a selectable box when there is no clipboard", async () => {
    const user = userEvent.setup();
    vi.stubGlobal("navigator", {});
    await renderDone(failedReport({ kind: "network", message: "no route" }));

    await user.click(screen.getByRole("button", { name: text.copyDetails }));

    const box = await screen.findByLabelText(text.copyFallback);
    expect((box as HTMLTextAreaElement).value).toContain("kind: network");
    expect((box as HTMLTextAreaElement).value).not.toContain(TOKEN);
  });

  it("shows why the backend refused to check, with the way back", async () => {
    setUp();
    const backend = fakeBackend();
    backend.checkCredential.mockRejectedValue(
      Object.assign(new Error("the token field holds 1048576 bytes; paste the token alone"), {
        name: "BackendError",
      }),
    );
    await startCheck(backend);
    render(CheckStep, { backend, onback: () => {} });
    expect(screen.getByRole("alert")).toHaveTextContent("paste the token alone");
    expect(screen.getByRole("button", { name: text.backToCredentials })).toBeInTheDocument();
  });
});
