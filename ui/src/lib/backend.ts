// The one road from the web view to Rust. Only this module imports the generated `bindings.ts`
// or `@tauri-apps/api`; components receive a `Backend` and tests hand them a fake one.
// Failures always surface as a `BackendError` carrying a typed `IpcError`, never as a bare string:
// a command rejects with the `IpcError` the Rust side returned, or with a plain string when Tauri
// itself fails (an unknown command, a bad argument), which counts as `internal`.

import { commands } from "./bindings";
import type { AuthMethod, AuthMethodInfo, ErrorKind, IpcError } from "./bindings";

export type {
  AuthMethod,
  AuthMethodInfo,
  AuthScheme,
  CredentialField,
  ErrorKind,
  IpcError,
} from "./bindings";

/** What the wizard asks of the Rust side. */
export interface Backend {
  /** The sign-in methods on offer, in display order. */
  authMethods(): Promise<AuthMethodInfo[]>;
  /** Records the user's method and says what it needs. Rejects with `BackendError`. */
  chooseAuthMethod(method: AuthMethod): Promise<AuthMethodInfo>;
}

/** A failed backend call; the UI branches on `kind`. */
export class BackendError extends Error {
  readonly kind: ErrorKind;

  constructor(error: IpcError) {
    super(error.message);
    this.name = "BackendError";
    this.kind = error.kind;
  }

  get ipcError(): IpcError {
    return { kind: this.kind, message: this.message };
  }
}

/** Turns whatever a failed call threw into an `IpcError` to show. */
export function toIpcError(caught: unknown): IpcError {
  if (caught instanceof BackendError) {
    return caught.ipcError;
  }
  return { kind: "internal", message: caught instanceof Error ? caught.message : String(caught) };
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Awaits a command, turning its rejection into a `BackendError`. */
async function settle<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (caught) {
    throw new BackendError(isIpcError(caught) ? caught : toIpcError(caught));
  }
}

/** The real backend: Tauri commands through the generated bindings. */
export const tauriBackend: Backend = {
  authMethods: () => settle(() => commands.authMethods()),
  chooseAuthMethod: (method) => settle(() => commands.chooseAuthMethod({ method })),
};
