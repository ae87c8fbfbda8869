// The wizard's state: one `$state` object that lives as long as the window, so that going Back
// keeps every choice. Components import `wizard` (it is never passed as a prop) and change it in
// place. It holds secrets only in memory and never persists or logs them.

// Only types come from the backend here: the test setup imports this module before a test
// replaces the bindings.
import type { AuthMethod, AuthMethodInfo, CredentialField, IpcError, ProbeProgress, ProbeReport } from "./backend";

/** The seven steps of the wizard, in order. */
export const STEPS = ["method", "credentials", "check", "tools", "clients", "write", "done"] as const;

export type StepId = (typeof STEPS)[number];

/** Steps that have a page yet; the others appear in the step indicator only. */
const BUILT_STEPS: ReadonlySet<StepId> = new Set<StepId>(["method", "credentials", "check", "tools"]);

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
};

/** `today` plus one year, as YYYY-MM-DD in local time: the default token expiry. */
export function defaultExpiry(today: Date = new Date()): string {
  const next = new Date(today.getFullYear() + 1, today.getMonth(), today.getDate());
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;
}

export function idleCheck(): CheckState {
  return { status: "idle", progress: null, report: null, error: null };
}

function initialState(): WizardState {
  return {
    step: 0,
    methods: null,
    method: null,
    answer: null,
    credentials: { email: "", apiToken: "", serviceKey: "" },
    expiry: defaultExpiry(),
    check: idleCheck(),
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
    default:
      return false;
  }
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
