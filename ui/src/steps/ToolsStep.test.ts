import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { strings } from "../lib/strings";
import { wizard } from "../lib/wizard.svelte";
import { CLOUD_ID, OK_REPORT } from "../test/fake-backend";
import ToolsStep from "./ToolsStep.svelte";

const text = strings.tools;

function renderStep(report = OK_REPORT) {
  wizard.step = 3;
  Object.assign(wizard.check, { status: "done", report });
  render(ToolsStep);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("ToolsStep", () => {
  it("groups the tools by product with counts and read/write badges", () => {
    renderStep();
    expect(screen.getByText(text.summary(4, 3))).toBeInTheDocument();
    const jira = screen.getByRole("region", { name: /Jira/ });
    expect(jira).toHaveTextContent(text.productCount(1, 1));
    const create = within(jira).getByText("Create Jira issue").closest("li");
    expect(create).toHaveTextContent(text.write);
    const get = within(jira).getByText("Get Jira issue").closest("li");
    expect(get).toHaveTextContent(text.read);
  });

  it("says which tools a client sees directly and marks the others", () => {
    renderStep();
    expect(
      screen.getByText(text.exposure(3, 4, "discover, executeRead, executeWrite, executeDestructive")),
    ).toBeInTheDocument();
    const jira = screen.getByRole("region", { name: /Jira/ });
    const create = within(jira).getByText("Create Jira issue").closest("li");
    expect(create).toHaveTextContent(text.viaDiscover);
    const get = within(jira).getByText("Get Jira issue").closest("li");
    expect(get).not.toHaveTextContent(text.viaDiscover);
    expect(screen.queryByText(text.manySites(1))).not.toBeInTheDocument();
  });

  it("says plainly when a credential reaches several sites", () => {
    renderStep({
      ...OK_REPORT,
      sites: [
        ...OK_REPORT.sites,
        { cloudId: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", url: "https://eu.atlassian.net", name: "eu" },
      ],
    });
    expect(screen.getByText(text.manySites(2))).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: /Copy the cloud ID/ })).toHaveLength(2);
  });

  it("filters the tools with the search box", async () => {
    const user = userEvent.setup();
    renderStep();
    await user.type(screen.getByLabelText(text.search), "confluence");
    expect(screen.queryByRole("region", { name: /Jira/ })).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: /Confluence/ })).toBeInTheDocument();

    await user.clear(screen.getByLabelText(text.search));
    await user.type(screen.getByLabelText(text.search), "nothing-like-this");
    expect(screen.getByText(text.noMatch("nothing-like-this"))).toBeInTheDocument();
  });

  it("lists the missing groups with the likely reason", () => {
    renderStep();
    const missing = screen.getByRole("region", { name: text.missingHeading });
    expect(missing).toHaveTextContent("compass");
    expect(missing).toHaveTextContent(text.reasons.oauth_only);
  });

  it("shows the account and copies a site's cloud ID", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async (_text: string) => {});
    vi.stubGlobal("navigator", { clipboard: { writeText } });
    renderStep();
    const account = screen.getByRole("region", { name: text.account });
    expect(account).toHaveTextContent("stand-in@example.com");
    expect(account).toHaveTextContent(CLOUD_ID);

    await user.click(screen.getByRole("button", { name: text.copyCloudId("stand-in") }));
    expect(writeText).toHaveBeenCalledExactlyOnceWith(CLOUD_ID);
    expect(screen.getByRole("button", { name: text.copyCloudId("stand-in") })).toHaveTextContent(text.copied);
  });
});
