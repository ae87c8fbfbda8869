// Test doubles for the `Backend` facade: canned answers, spies, and answers released on demand.
import { vi, type Mock } from "vitest";
import type {
  AuthMethod,
  AuthMethodInfo,
  Backend,
  ClientStatus,
  ClientWriteResult,
  LockedChoices,
  PlannedChange,
  ProbeFailure,
  ProbeReport,
  RotateOutcome,
  RotationTarget,
  WizardWriteOutcome,
} from "../lib/backend";

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

export const SERVICE_OAUTH: AuthMethodInfo = {
  method: "service-oauth",
  scheme: "bearer",
  headerTemplate: "Authorization: Bearer <access token from the client ID and secret>",
  credentialFields: ["clientId", "clientSecret"],
  credentialPageUrl: "https://admin.atlassian.com",
};

export const ANSWERS: Record<AuthMethod, AuthMethodInfo> = {
  personal: PERSONAL,
  service: SERVICE,
  "service-oauth": SERVICE_OAUTH,
};

/** No policy: nothing is locked. */
export const NO_POLICY: LockedChoices = {
  organization: null,
  helpLink: null,
  authKinds: null,
  secretMode: null,
  clients: null,
  endpoint: null,
  startAtLogin: null,
};

/** Example Corp allows service keys only and keeps every secret in the keychain. */
export const EXAMPLE_CORP_POLICY: LockedChoices = {
  ...NO_POLICY,
  organization: "Example Corp",
  helpLink: "https://intranet.example.com/ai-tools",
  authKinds: ["service"],
  secretMode: "keychain",
};

/** Every backend call as a spy, so a test can change an answer or see what was asked. */
export type FakeBackend = { [Call in keyof Backend]: Mock<Backend[Call]> };

function client(id: string, name: string, path: string, overrides: Partial<ClientStatus> = {}): ClientStatus {
  return {
    id,
    name,
    installed: false,
    configPath: path,
    format: "json",
    entry: null,
    modes: ["inline"],
    needsRestart: false,
    stdioBridge: false,
    keychainVia: null,
    problem: null,
    formerPath: null,
    ...overrides,
  };
}

/** Cursor detected, Claude Desktop detected with keychain preferred, Zed with a broken file, Codex absent. */
export const CLIENTS: ClientStatus[] = [
  client("claude-desktop", "Claude Desktop", "/home/me/.config/Claude/claude_desktop_config.json", {
    installed: true,
    modes: ["keychain", "inline"],
    needsRestart: true,
    stdioBridge: true,
    keychainVia: "bridge",
  }),
  client("cursor", "Cursor", "/home/me/.cursor/mcp.json", { installed: true, modes: ["inline", "keychain"], keychainVia: "bridge" }),
  client("zed", "Zed", "/home/me/.config/zed/settings.json", {
    installed: true,
    problem: "`/home/me/.config/zed/settings.json` line 1: expected a value; the file was left untouched",
  }),
  client("codex", "Codex", "/home/me/.codex/config.toml", { format: "toml" }),
];

export function plannedChange(id: string, name: string, path: string): PlannedChange {
  return {
    id,
    name,
    configPath: path,
    mode: "inline",
    change: "create",
    diff: `--- /dev/null\n+++ ${path}\n@@ -0,0 +1 @@\n+{ "Authorization": "Basic ••••••••" }\n`,
    error: null,
  };
}

export function writeResult(id: string, name: string, overrides: Partial<ClientWriteResult> = {}): ClientWriteResult {
  return {
    id,
    name,
    configPath: `/home/me/${id}.json`,
    change: "create",
    backup: null,
    needsRestart: false,
    previousEntry: null,
    note: null,
    error: null,
    ...overrides,
  };
}

/** A write where Claude Desktop was created (restart needed) and Cursor updated. */
export const WRITE_OUTCOME: WizardWriteOutcome = {
  setup: {
    keychain: { account: "personal:me@example.com", stored: true, error: null },
    clients: [
      writeResult("claude-desktop", "Claude Desktop", { needsRestart: true }),
      writeResult("cursor", "Cursor", { change: "update", backup: "/data/backups/cursor/1.json" }),
    ],
    stateError: null,
  },
  replanned: [],
};

/** A personal token on record, used by two clients, expiring in ten days. */
export const ROTATION_TARGET: RotationTarget = {
  auth: "personal",
  email: "me@example.com",
  clientId: null,
  endpoint: "http://127.0.0.1:9/v1/mcp",
  endpointMove: { from: "http://127.0.0.1:9/v1/mcp", to: "http://127.0.0.1:9/v2/mcp" },
  expiresOn: "2026-12-07",
  daysLeft: 10,
  clients: [
    { id: "cursor", name: "Cursor", mode: "inline" },
    { id: "claude-desktop", name: "Claude Desktop", mode: "keychain" },
  ],
};

/** A service account's OAuth client on record, used by Claude Desktop through the bridge. */
export const OAUTH_ROTATION_TARGET: RotationTarget = {
  ...ROTATION_TARGET,
  auth: "service-oauth",
  email: null,
  clientId: "9fXk2bq7LmN4pR8sT1vW3yZ5aC6dE0gH",
  clients: [{ id: "claude-desktop", name: "Claude Desktop", mode: "keychain" }],
};

export const ROTATE_OUTCOME: RotateOutcome = {
  keychain: { account: "personal:me@example.com", stored: true, error: null },
  clients: [writeResult("cursor", "Cursor", { change: "update" })],
  manualSteps: [],
  keychainClients: ["Claude Desktop"],
  stateError: null,
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
    { name: "getJiraIssue", title: "Get Jira issue", description: "Reads an issue", product: "jira", group: "jira-read", readOnly: true, primary: true },
    { name: "createJiraIssue", title: "Create Jira issue", description: null, product: "jira", group: "jira-write", readOnly: false, primary: false },
    { name: "getConfluencePage", title: "Get Confluence page", description: null, product: "confluence", group: "confluence-read", readOnly: true, primary: true },
    { name: "atlassianUserInfo", title: "User info", description: null, product: "platform", group: null, readOnly: true, primary: true },
  ],
  products: [
    { product: "jira", name: "Jira", read: 1, write: 1 },
    { product: "confluence", name: "Confluence", read: 1, write: 0 },
    { product: "platform", name: "Platform", read: 1, write: 0 },
  ],
  exposure: { allToolsEndpoint: "http://127.0.0.1:9/v2/mcp?tools=all", primary: 3, total: 4, flat: false },
  metaTools: ["discover", "executeRead", "executeWrite", "executeDestructive"],
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
  limitation: {
    cause: "scopes_match_no_tool",
    message: "signed in, but only the platform tools are listed",
    hint: "create a token with scopes",
  },
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
    exposure: null,
    metaTools: [],
    missingGroups: [],
    account: null,
    sites: [],
    error: { httpStatus: null, message: "", hint: "", bodyExcerpt: null, ...failure },
  };
}

/** A backend that offers both methods and answers every choice at once. */
export function fakeBackend(): FakeBackend {
  return {
    appMode: vi.fn<Backend["appMode"]>(async () => ({ demoHome: null })),
    authMethods: vi.fn<Backend["authMethods"]>(async () => [PERSONAL, SERVICE, SERVICE_OAUTH]),
    chooseAuthMethod: vi.fn<Backend["chooseAuthMethod"]>(async (method) => ANSWERS[method]),
    currentPolicy: vi.fn<Backend["currentPolicy"]>(async () => structuredClone(NO_POLICY)),
    checkCredential: vi.fn<Backend["checkCredential"]>(async (_request, onProgress) => {
      onProgress({ stage: "connecting" });
      onProgress({ stage: "signedIn" });
      onProgress({ stage: "listingTools", page: 1 });
      return OK_REPORT;
    }),
    cancelCheck: vi.fn<Backend["cancelCheck"]>(async () => {}),
    listClients: vi.fn<Backend["listClients"]>(async () => structuredClone(CLIENTS)),
    previewClients: vi.fn<Backend["previewClients"]>(async (chosen) =>
      chosen.map((choice) => {
        const known = CLIENTS.find((entry) => entry.id === choice.id);
        return plannedChange(choice.id, known?.name ?? choice.id, known?.configPath ?? "");
      }),
    ),
    writeClients: vi.fn<Backend["writeClients"]>(async () => structuredClone(WRITE_OUTCOME)),
    undoWrite: vi.fn<Backend["undoWrite"]>(async () => ({
      clients: [
        writeResult("claude-desktop", "Claude Desktop", { change: "delete" }),
        writeResult("cursor", "Cursor", { change: "update" }),
      ],
      credential: { status: "restored" },
    })),
    openCredentialPage: vi.fn<Backend["openCredentialPage"]>(async () => {}),
    startAtLogin: vi.fn<Backend["startAtLogin"]>(async () => ({ available: true, enabled: false })),
    setStartAtLogin: vi.fn<Backend["setStartAtLogin"]>(async (enabled) => ({ available: true, enabled })),
    rotationTarget: vi.fn<Backend["rotationTarget"]>(async () => structuredClone(ROTATION_TARGET)),
    rotateCredential: vi.fn<Backend["rotateCredential"]>(async () => structuredClone(ROTATE_OUTCOME)),
    openRotateWindow: vi.fn<Backend["openRotateWindow"]>(async () => {}),
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
