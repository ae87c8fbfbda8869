// Test doubles for the `Backend` facade: canned answers, spies, and answers released on demand.
import { vi } from "vitest";
import type { AuthMethod, AuthMethodInfo, Backend } from "../lib/backend";

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
};

/** A backend that offers both methods and answers every choice at once. */
export function fakeBackend(): FakeBackend {
  return {
    authMethods: vi.fn<Backend["authMethods"]>(async () => [PERSONAL, SERVICE]),
    chooseAuthMethod: vi.fn<Backend["chooseAuthMethod"]>(async (method) => ANSWERS[method]),
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
