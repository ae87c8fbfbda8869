// The organisation's policy as the steps show it: which choices are locked, by whom, and where
// to get help. The Rust side enforces the policy whatever the page shows; this only explains it.

import type { Backend, IpcError, LockedChoices } from "./backend";
import { toIpcError } from "./backend";

/** The policy as a step holds it: what it locks, or why it could not be read. */
export type PolicyView = { locked: LockedChoices | null; error: IpcError | null };

/** Whether the policy locks anything the wizard asks about. */
export function locksAnything(locked: LockedChoices | null): locked is LockedChoices {
  return (
    locked !== null &&
    (locked.authKinds !== null || locked.secretMode !== null || locked.clients !== null || locked.endpoint !== null)
  );
}

/** Asks the backend for the policy; a broken policy comes back as its error, to show. */
export async function fetchPolicy(backend: Backend): Promise<PolicyView> {
  try {
    return { locked: await backend.currentPolicy(), error: null };
  } catch (caught) {
    return { locked: null, error: toIpcError(caught) };
  }
}
