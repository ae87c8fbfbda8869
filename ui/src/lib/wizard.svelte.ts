// The wizard's state: one `$state` object that lives as long as the window, so that going Back
// keeps every choice. Components import `wizard` (it is never passed as a prop) and change it in
// place. It holds secrets only in memory and never persists or logs them.

import type { AuthMethod, AuthMethodInfo, CredentialField } from "./backend";

/** The seven steps of the wizard, in order. */
export const STEPS = ["method", "credentials", "check", "tools", "clients", "write", "done"] as const;

export type StepId = (typeof STEPS)[number];

/** Steps that have a page yet; the others appear in the step indicator only. */
const BUILT_STEPS: ReadonlySet<StepId> = new Set<StepId>(["method", "credentials"]);

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
};

function initialState(): WizardState {
  return {
    step: 0,
    methods: null,
    method: null,
    answer: null,
    credentials: { email: "", apiToken: "", serviceKey: "" },
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
    default:
      return false;
  }
}
