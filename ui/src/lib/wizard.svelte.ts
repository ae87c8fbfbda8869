// The wizard's state: one `$state` object that lives as long as the window, so that going Back
// keeps every choice. Components import `wizard` (it is never passed as a prop) and change it in
// place. It holds secrets only in memory and never persists or logs them.

// Only types come from the backend here: the test setup imports this module before a test
// replaces the bindings.
import type {
  AuthMethod,
  AuthMethodInfo,
  ClientStatus,
  CredentialField,
  IpcError,
  PlannedChange,
  ProbeProgress,
  ProbeReport,
  SecretMode,
  UndoOutcome,
  WizardWriteOutcome,
} from "./backend";

/** The seven steps of the wizard, in order. */
export const STEPS = ["method", "credentials", "check", "tools", "clients", "write", "done"] as const;

export type StepId = (typeof STEPS)[number];

/** Steps that have a page yet; the others appear in the step indicator only. */
const BUILT_STEPS: ReadonlySet<StepId> = new Set<StepId>(STEPS);

/** Where the check of step 3 is. */
export type CheckStatus = "idle" | "running" | "done" | "cancelled" | "refused";

export type CheckState = {
  status: CheckStatus;
  /** The last stage the probe reported while running. */
  progress: ProbeProgress | null;
  /** The probe's report once `done`. */
  report: ProbeReport | null;
  /** Why the backend refused to check (`refused`), e.g. an email that is not one. */
  error: IpcError | null;
  /** Whether the check is of the credential on record, its secret from the keychain (the move
   * to v2), rather than of what was entered. */
  recorded: boolean;
};

/** Step 5: the clients found, the person's choices, and the last preview. */
export type ClientsState = {
  /** Every supported client, once loaded. */
  list: ClientStatus[] | null;
  /** Why the list could not be loaded. */
  error: IpcError | null;
  /** Whether each client is ticked, by id. */
  chosen: Record<string, boolean>;
  /** The secret mode chosen per client, by id (its preferred one until changed). */
  modes: Record<string, SecretMode>;
  /** Whether the clients get every tool directly (`?tools=all`) instead of the primary tools
   * and discover/execute. */
  allTools: boolean;
  previewing: boolean;
  /** The last preview, cleared when a choice changes. */
  preview: PlannedChange[] | null;
  previewError: IpcError | null;
};

/** Step 6: the write and its undo. */
export type WriteState = {
  status: "idle" | "running" | "done" | "refused";
  outcome: WizardWriteOutcome | null;
  error: IpcError | null;
  undoStatus: "idle" | "running" | "done" | "refused";
  undone: UndoOutcome | null;
  undoError: IpcError | null;
};

export type WizardState = {
  /** Index into `STEPS` of the page on screen. */
  step: number;
  /** The methods the backend offers, once loaded. */
  methods: AuthMethodInfo[] | null;
  /** The method the user picked. */
  method: AuthMethod | null;
  /** The backend's answer for `method`; null while it is on its way. */
  answer: AuthMethodInfo | null;
  /** What the user typed, by field; kept when the method changes so nothing is retyped. */
  credentials: Record<CredentialField, string>;
  /** The day the user chose for the token to expire (YYYY-MM-DD), for reminders. */
  expiry: string;
  check: CheckState;
  clients: ClientsState;
  write: WriteState;
  /** Whether the last step already turned "keep me reminded" on once. */
  remindersOffered: boolean;
};

/** `today` plus one year, as YYYY-MM-DD in local time: the default token expiry. */
export function defaultExpiry(today: Date = new Date()): string {
  const next = new Date(today.getFullYear() + 1, today.getMonth(), today.getDate());
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;
}

export function idleCheck(): CheckState {
  return { status: "idle", progress: null, report: null, error: null, recorded: false };
}

export function idleClients(): ClientsState {
  return {
    list: null,
    error: null,
    chosen: {},
    modes: {},
    allTools: false,
    previewing: false,
    preview: null,
    previewError: null,
  };
}

export function idleWrite(): WriteState {
  return { status: "idle", outcome: null, error: null, undoStatus: "idle", undone: null, undoError: null };
}

function initialState(): WizardState {
  return {
    step: 0,
    methods: null,
    method: null,
    answer: null,
    credentials: { email: "", apiToken: "", serviceKey: "", clientId: "", clientSecret: "" },
    expiry: defaultExpiry(),
    check: idleCheck(),
    clients: idleClients(),
    write: idleWrite(),
    remindersOffered: false,
  };
}

/** The one wizard of this window. */
export const wizard: WizardState = $state(initialState());

/** Forgets every choice and returns to the first step (tests start from here). */
export function resetWizard(): void {
  Object.assign(wizard, initialState());
}

export function currentStep(state: WizardState): StepId {
  return STEPS[state.step] ?? STEPS[0];
}

/** Index of the step that Next leads to, or null when that step has no page yet. */
export function nextStepIndex(state: WizardState): number | null {
  const next = STEPS[state.step + 1];
  return next !== undefined && BUILT_STEPS.has(next) ? state.step + 1 : null;
}

/** Whether the current step holds everything Next needs. */
export function canAdvance(state: WizardState): boolean {
  switch (currentStep(state)) {
    case "method":
      return state.method !== null && state.answer?.method === state.method;
    case "credentials":
      return credentialsEntered(state) && state.check.status !== "running";
    case "check": {
      const report = state.check.report;
      if (state.check.status !== "done" || report === null) {
        return false;
      }
      return report.verdict === "ok" || report.verdict === "limited";
    }
    case "tools":
      return state.check.report !== null;
    case "clients":
      return chosenClients(state).length > 0 && state.write.status !== "running";
    case "write":
      return state.write.status === "done" && state.write.undoStatus !== "running";
    default:
      return false;
  }
}

/**
 * Whether the chosen method can live in the system keychain only: a service account's OAuth
 * client gives access tokens that last an hour, which only our bridge or header helper renew.
 */
export function keychainOnly(state: WizardState): boolean {
  return state.method === "service-oauth";
}

/** Why `client` cannot be ticked for the chosen method, or null when it can. */
export function cannotTake(client: ClientStatus, state: WizardState): "unreadable" | "noKeychain" | null {
  if (client.problem !== null) {
    return "unreadable";
  }
  return keychainOnly(state) && !client.modes.includes("keychain") ? "noKeychain" : null;
}

/** The ticked clients, in list order, with their modes: what preview and write are given. */
export function chosenClients(state: WizardState): { id: string; mode: SecretMode | null }[] {
  return (state.clients.list ?? [])
    .filter((client) => state.clients.chosen[client.id] === true && cannotTake(client, state) === null)
    .map((client) => ({
      id: client.id,
      mode: keychainOnly(state) ? "keychain" : (state.clients.modes[client.id] ?? client.modes[0] ?? null),
    }));
}

/** Whether every field the chosen method needs holds something besides spaces. */
export function credentialsEntered(state: WizardState): boolean {
  const fields = state.answer?.credentialFields ?? [];
  return fields.length > 0 && fields.every((field) => state.credentials[field].trim() !== "");
}

/** Forgets the last check, e.g. when the credential it checked was changed. */
export function forgetCheck(): void {
  if (wizard.check.status !== "running") {
    Object.assign(wizard.check, idleCheck());
  }
}
