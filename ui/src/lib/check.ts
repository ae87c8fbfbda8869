// Running the check of step 3 from the wizard's state: at most one at a time, its progress and
// outcome written into `wizard.check`.

import type { Backend, ProbeProgress } from "./backend";
import { toIpcError } from "./backend";
import { strings } from "./strings";
import { wizard } from "./wizard.svelte";

/** The words for `stage`, with the page number when `progress` is listing that stage's tools. */
export function stageText(stage: ProbeProgress["stage"], progress: ProbeProgress | null): string {
  if (stage === "listingTools" && progress?.stage === "listingTools") {
    return strings.check.listingPage(progress.page);
  }
  return strings.check.stages[stage];
}

/**
 * Starts the check of the entered credential (or, with `recorded`, of the credential on record
 * with its secret from the keychain) unless one is running: a second click while it runs does
 * nothing. Progress and the outcome land in `wizard.check`.
 */
export async function startCheck(backend: Backend, recorded = false): Promise<void> {
  if (wizard.check.status === "running" || wizard.method === null) {
    return;
  }
  // Set synchronously, before anything is awaited, so that a double click starts one check.
  Object.assign(wizard.check, { status: "running", progress: null, report: null, error: null, recorded });
  const method = wizard.method;
  const { email, apiToken, serviceKey, clientId, clientSecret } = wizard.credentials;
  const secret = { personal: apiToken, service: serviceKey, "service-oauth": clientSecret }[method];
  const request = {
    method,
    email: method === "personal" ? email : null,
    clientId: method === "service-oauth" ? clientId : null,
    token: recorded ? "" : secret,
    // The move to v2 checks the v2 endpoint of the server on record.
    endpoint: recorded ? ("v2OfRecord" as const) : ("recommended" as const),
    recorded,
  };
  try {
    const report = await backend.checkCredential(request, (progress) => {
      if (wizard.check.status === "running") {
        wizard.check.progress = progress;
      }
    });
    if (report === null) {
      wizard.check.status = "cancelled";
    } else {
      Object.assign(wizard.check, { status: "done", report });
    }
  } catch (caught) {
    Object.assign(wizard.check, { status: "refused", error: toIpcError(caught) });
  }
}

/** Asks the backend to stop the running check; `startCheck` then records it as cancelled. */
export async function cancelCheck(backend: Backend): Promise<void> {
  if (wizard.check.status === "running") {
    await backend.cancelCheck();
  }
}

