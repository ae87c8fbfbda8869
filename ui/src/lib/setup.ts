// Steps 5 and 6 driven from the wizard's state: load the clients, preview the chosen ones, write
// them (at most one write at a time) and undo that write. Outcomes land in `wizard.clients` and
// `wizard.write`; the credential itself stays in Rust.

import type { Backend, ClientStatus } from "./backend";
import { toIpcError } from "./backend";
import { chosenClients, idleWrite, wizard } from "./wizard.svelte";

/** Loads the clients once; detected ones that can be read are ticked. */
export async function loadClients(backend: Backend, policyClients: string[] | null = null): Promise<void> {
  if (wizard.clients.list !== null) {
    return;
  }
  try {
    const list = await backend.listClients();
    for (const client of list) {
      wizard.clients.chosen[client.id] = ticksAtFirst(client, policyClients);
      const preferred = client.modes[0];
      if (preferred !== undefined) {
        wizard.clients.modes[client.id] = preferred;
      }
    }
    Object.assign(wizard.clients, { list, error: null });
  } catch (caught) {
    wizard.clients.error = toIpcError(caught);
  }
}

/**
 * Whether `client` starts ticked: the clients the organisation's policy names (ids, or
 * `detected`, or `all`), else the detected ones. A client whose file cannot be read never is.
 */
export function ticksAtFirst(client: ClientStatus, policyClients: string[] | null): boolean {
  if (client.problem !== null) {
    return false;
  }
  if (policyClients === null || policyClients.includes("detected")) {
    return client.installed || (policyClients?.includes(client.id) ?? false);
  }
  return policyClients.includes("all") || policyClients.includes(client.id);
}

/** Forgets the preview, e.g. when a choice changed after it. */
export function forgetPreview(): void {
  Object.assign(wizard.clients, { preview: null, previewError: null });
}

/** Shows what writing the ticked clients would change. */
export async function previewChosen(backend: Backend): Promise<void> {
  if (wizard.clients.previewing) {
    return;
  }
  Object.assign(wizard.clients, { previewing: true, preview: null, previewError: null });
  try {
    wizard.clients.preview = await backend.previewClients(chosenClients(wizard), wizard.clients.allTools);
  } catch (caught) {
    wizard.clients.previewError = toIpcError(caught);
  } finally {
    wizard.clients.previewing = false;
  }
}

/** Writes the ticked clients unless a write is running: a double click writes once. */
export async function startWrite(backend: Backend): Promise<void> {
  if (wizard.write.status === "running") {
    return;
  }
  Object.assign(wizard.write, { ...idleWrite(), status: "running" });
  try {
    const outcome = await backend.writeClients(
      chosenClients(wizard),
      wizard.clients.allTools,
      wizard.expiry.trim() || null,
    );
    Object.assign(wizard.write, { status: "done", outcome });
  } catch (caught) {
    Object.assign(wizard.write, { status: "refused", error: toIpcError(caught) });
  }
}

/** Puts back every file the write changed. */
export async function undoWrite(backend: Backend): Promise<void> {
  if (wizard.write.undoStatus === "running" || wizard.write.undoStatus === "done") {
    return;
  }
  Object.assign(wizard.write, { undoStatus: "running", undoError: null });
  try {
    const undone = await backend.undoWrite();
    Object.assign(wizard.write, { undoStatus: "done", undone });
    // The lists are stale now: read the clients again when step 5 is shown.
    wizard.clients.list = null;
  } catch (caught) {
    Object.assign(wizard.write, { undoStatus: "refused", undoError: toIpcError(caught) });
  }
}
