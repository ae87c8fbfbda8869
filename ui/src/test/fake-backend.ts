// Test doubles for the `Backend` facade: canned answers, spies, and answers released on demand.
import { vi } from "vitest";
import type { AuthMethod, AuthMethodInfo, Backend, ProbeFailure, ProbeReport } from "../lib/backend";

export const PERSONAL: AuthMethodInfo = {
  method: "personal",
  scheme: "basic",
  headerTemplate: "Authorization: Basic base64(email:token)",
  credentialFields: ["email", "apiToken"],
  credentialPageUrl: "https://id.atlassian.com/manage-profile/security/api-tokens",
};

export const SERVICE: AuthMethodInfo = {
  method: "service",
  scheme: "bearer",
  headerTemplate: "Authorization: Bearer key",
  credentialFields: ["serviceKey"],
  credentialPageUrl: "https://admin.atlassian.com",
};

export const ANSWERS: Record<AuthMethod, AuthMethodInfo> = { personal: PERSONAL, service: SERVICE };

export type FakeBackend = Backend & {
  authMethods: ReturnType<typeof vi.fn<Backend["authMethods"]>>;
  chooseAuthMethod: ReturnType<typeof vi.fn<Backend["chooseAuthMethod"]>>;
  checkCredential: ReturnType<typeof vi.fn<Backend["checkCredential"]>>;
  cancelCheck: ReturnType<typeof vi.fn<Backend["cancelCheck"]>>;
};

export const CLOUD_ID = "8a3c5e2f-1b4d-4c6e-9f0a-123456789abc";

/** A report of a working credential: Jira and Confluence tools, one missing group, one site. */
export const OK_REPORT: ProbeReport = {
  verdict: "ok",
  auth: "personal",
  endpoint: "http://127.0.0.1:9/v1/mcp",
  server: { name: "stand-in", version: "1.0" },
  protocolVersion: "2025-11-25",
  tools: [
    { name: "getJiraIssue", title: "Get Jira issue", description: "Reads an issue", product: "jira", group: "jira-read", readOnly: true },
    { name: "createJiraIssue", title: "Create Jira issue", description: null, product: "jira", group: "jira-write", readOnly: false },
    { name: "getConfluencePage", title: "Get Confluence page", description: null, product: "confluence", group: "confluence-read", readOnly: true },
    { name: "atlassianUserInfo", title: "User info", description: null, product: "platform", group: null, readOnly: true },
  ],
  products: [
    { product: "jira", name: "Jira", read: 1, write: 1 },
    { product: "confluence", name: "Confluence", read: 1, write: 0 },
    { product: "platform", name: "Platform", read: 1, write: 0 },
  ],
  missingGroups: [
    { group: "compass", product: "compass", access: "read", reason: "oauth_only", explanation: "Compass tools are offered to OAuth only" },
  ],
  account: { account_id: "5b10a2844c20165700ede21g", email: "stand-in@example.com", name: "Stand-in Person" },
  sites: [{ cloudId: CLOUD_ID, url: "https://stand-in.atlassian.net", name: "stand-in" }],
  limitation: null,
  error: null,
  warnings: [],
  timings: { totalMs: 42, sequentialExchanges: 3 },
};

/** A report of a credential that signs in but gets only platform tools. */
export const LIMITED_REPORT: ProbeReport = {
  ...OK_REPORT,
  verdict: "limited",
  tools: OK_REPORT.tools.filter((tool) => tool.product === "platform"),
  products: [{ product: "platform", name: "Platform", read: 1, write: 0 }],
  limitation: { message: "only platform tools are listed", hint: "create a token with scopes" },
  warnings: [{ code: "not_scoped_token", message: "the token does not start with ATATT3" }],
};

/** The report of a check that failed with `failure`. */
export function failedReport(failure: Partial<ProbeFailure> & Pick<ProbeFailure, "kind">): ProbeReport {
  return {
    ...OK_REPORT,
    verdict: failure.kind,
    server: null,
    protocolVersion: null,
    tools: [],
    products: [],
    missingGroups: [],
    account: null,
    sites: [],
    error: { httpStatus: null, message: "", hint: "", bodyExcerpt: null, ...failure },
  };
}

/** A backend that offers both methods and answers every choice at once. */
export function fakeBackend(): FakeBackend {
  return {
    authMethods: vi.fn<Backend["authMethods"]>(async () => [PERSONAL, SERVICE]),
    chooseAuthMethod: vi.fn<Backend["chooseAuthMethod"]>(async (method) => ANSWERS[method]),
    checkCredential: vi.fn<Backend["checkCredential"]>(async (_request, onProgress) => {
      onProgress({ stage: "connecting" });
      onProgress({ stage: "signedIn" });
      onProgress({ stage: "listingTools", page: 1 });
      return OK_REPORT;
    }),
    cancelCheck: vi.fn<Backend["cancelCheck"]>(async () => {}),
  };
}

/** A promise together with the functions that settle it, for answers that arrive later. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
