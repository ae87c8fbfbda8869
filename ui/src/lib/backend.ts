// The one road from the web view to Rust. Only this module imports the generated `bindings.ts`
// or `@tauri-apps/api`; components receive a `Backend` and tests hand them a fake one.
// Failures always surface as a `BackendError` carrying a typed `IpcError`, never as a bare string:
// a command rejects with the `IpcError` the Rust side returned, or with a plain string when Tauri
// itself fails (an unknown command, a bad argument), which counts as `internal`.

import { Channel } from "@tauri-apps/api/core";
import { getCurrentWebviewWindow } from "@tauri-apps/api/webviewWindow";
import { commands } from "./bindings";
import type {
  AppMode,
  AuthMethod,
  AuthMethodInfo,
  CheckCredentialRequest,
  ClientChoice,
  ClientStatus,
  ClientWriteResult,
  ErrorKind,
  IpcError,
  LockedChoices,
  PlannedChange,
  ProbeProgress,
  ProbeReport,
  RotateOutcome,
  RotationTarget,
  StartAtLogin,
  UndoOutcome,
  WizardWriteOutcome,
} from "./bindings";

export type {
  AppMode,
  ManualStep,
  RotateOutcome,
  RotationClient,
  RotationTarget,
  StartAtLogin,
  AuthMethod,
  AuthMethodInfo,
  AuthScheme,
  CredentialField,
  ErrorKind,
  IpcError,
  CheckCredentialRequest,
  Change,
  ClientChoice,
  ClientStatus,
  ClientWriteResult,
  KeychainCarrier,
  LockedChoices,
  MissingGroup,
  PlannedChange,
  SecretMode,
  SetupOutcome,
  UndoOutcome,
  CredentialUndo,
  WizardWriteOutcome,
  LimitationCause,
  MissingReason,
  ProbeFailure,
  ProbeProgress,
  ProbeReport,
  Product,
  ProductSummary,
  Site,
  ToolSummary,
  WarningReport,
} from "./bindings";

/** A report's outcome: `ok`, `limited`, or the kind of the failure (the Rust side sends it as a string). */
export type Verdict = "ok" | "limited" | ErrorKind;

/** The verdict of `report`, typed. */
export function verdictOf(report: ProbeReport): Verdict {
  return report.verdict as Verdict;
}

/** The page a window holds: the setup wizard, or the "Rotate token…" window. */
export type WindowView = "setup" | "rotate";

/** This window's page, from its label in `tauri.conf.json`; known without waiting for Rust. */
export function currentView(): WindowView {
  return getCurrentWebviewWindow().label === "rotate" ? "rotate" : "setup";
}

/** What the wizard asks of the Rust side. */
export interface Backend {
  /** Which page this window holds, and whether the app runs as the demo. */
  appMode(): Promise<AppMode>;
  /** The sign-in methods on offer, in display order. */
  authMethods(): Promise<AuthMethodInfo[]>;
  /** Records the user's method and says what it needs. Rejects with `BackendError`. */
  chooseAuthMethod(method: AuthMethod): Promise<AuthMethodInfo>;
  /** The choices the organisation's policy locks. Rejects with `BackendError` naming a broken policy. */
  currentPolicy(): Promise<LockedChoices>;
  /**
   * Probes the credential, calling `onProgress` at each stage. Resolves with the report (a failed
   * check is a report whose verdict is the error kind), or null when the check was cancelled.
   * Rejects with `BackendError` when the input cannot be used or a check is already running.
   */
  checkCredential(
    request: CheckCredentialRequest,
    onProgress: (progress: ProbeProgress) => void,
  ): Promise<ProbeReport | null>;
  /** Stops the running check; its `checkCredential` then resolves with null. */
  cancelCheck(): Promise<void>;
  /** Every supported client with its state. Rejects with `BackendError`. */
  listClients(): Promise<ClientStatus[]>;
  /** The change each chosen client would get (masked diffs), using the checked credential. */
  previewClients(clients: ClientChoice[], allTools: boolean): Promise<PlannedChange[]>;
  /** Saves the secret and writes each chosen client. `expiresOn` is YYYY-MM-DD. */
  writeClients(clients: ClientChoice[], allTools: boolean, expiresOn: string | null): Promise<WizardWriteOutcome>;
  /** Puts back every file of the last write. */
  undoWrite(): Promise<UndoOutcome>;
  /** Opens the page where the method's credential is made, in the browser. */
  openCredentialPage(method: AuthMethod): Promise<void>;
  /** Whether the tray starts at login, and whether it can be changed here. */
  startAtLogin(): Promise<StartAtLogin>;
  /** Turns start at login on or off; resolves with how it is afterwards. */
  setStartAtLogin(enabled: boolean): Promise<StartAtLogin>;
  /** The setup on record that a rotation replaces the credential of. Rejects when there is none. */
  rotationTarget(): Promise<RotationTarget>;
  /** Puts the credential this window last checked into the keychain and every client. */
  rotateCredential(expiresOn: string | null): Promise<RotateOutcome>;
  /** Opens (or focuses) the "Rotate token…" window. */
  openRotateWindow(): Promise<void>;
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

/** Turns a typed `Result` of the bindings back into a value or a rejection with its `IpcError`. */
async function unwrap<T>(
  result: Promise<{ status: "ok"; data: T } | { status: "error"; error: IpcError }>,
): Promise<T> {
  const settled = await result;
  if (settled.status === "error") {
    throw settled.error;
  }
  return settled.data;
}

/** The real backend: Tauri commands through the generated bindings. */
export const tauriBackend: Backend = {
  appMode: () => settle(() => commands.appMode()),
  authMethods: () => settle(() => commands.authMethods()),
  chooseAuthMethod: (method) => settle(() => commands.chooseAuthMethod({ method })),
  currentPolicy: () => settle(() => unwrap(commands.currentPolicy())),
  checkCredential: (request, onProgress) => {
    const channel = new Channel<ProbeProgress>();
    channel.onmessage = onProgress;
    return settle(() => unwrap(commands.checkCredential(request, channel)));
  },
  cancelCheck: () => settle(() => commands.cancelCheck()),
  listClients: () => settle(() => unwrap(commands.listClients())),
  previewClients: (clients, allTools) => settle(() => unwrap(commands.previewClients({ clients, allTools }))),
  writeClients: (clients, allTools, expiresOn) =>
    settle(() => unwrap(commands.writeClients({ clients, allTools, expiresOn }))),
  undoWrite: () => settle(() => unwrap(commands.undoWrite())),
  openCredentialPage: async (method) => {
    await settle(() => unwrap(commands.openCredentialPage({ method })));
  },
  startAtLogin: () => settle(() => commands.startAtLogin()),
  setStartAtLogin: (enabled) => settle(() => unwrap(commands.setStartAtLogin(enabled))),
  rotationTarget: () => settle(() => unwrap(commands.rotationTarget())),
  rotateCredential: (expiresOn) => settle(() => unwrap(commands.rotateCredential({ expiresOn }))),
  openRotateWindow: () => settle(() => commands.openRotateWindow()),
};

/**
 * Tells Rust the window's first frame is painted, for the launch-to-first-paint benchmark; Rust
 * ignores it unless `ROVO_MCP_REPORT_FIRST_PAINT` is set. A failure only loses the measurement.
 */
export function reportFirstPaint(): Promise<void> {
  return commands.reportFirstPaint().catch(() => undefined);
}
