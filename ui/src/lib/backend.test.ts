import { beforeEach, describe, expect, it, vi } from "vitest";

// The facade's own test is the one place that replaces the generated bindings.
const commands = vi.hoisted(() => ({
  authMethods: vi.fn(),
  chooseAuthMethod: vi.fn(),
}));
vi.mock("./bindings", () => ({ commands }));

import { BackendError, tauriBackend, toIpcError } from "./backend";
import { PERSONAL } from "../test/fake-backend";

describe("tauriBackend", () => {
  beforeEach(() => {
    commands.authMethods.mockReset();
    commands.chooseAuthMethod.mockReset();
  });

  it("passes the chosen method as the request and returns the answer", async () => {
    commands.chooseAuthMethod.mockResolvedValue({ status: "ok", data: PERSONAL });

    await expect(tauriBackend.chooseAuthMethod("personal")).resolves.toEqual(PERSONAL);
    expect(commands.chooseAuthMethod).toHaveBeenCalledWith({ method: "personal" });
  });

  it("throws a command's typed error as a BackendError of the same kind", async () => {
    commands.chooseAuthMethod.mockResolvedValue({
      status: "error",
      error: { kind: "invalid_input", message: "unknown method" },
    });

    const failure = await tauriBackend.chooseAuthMethod("service").catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(BackendError);
    expect(toIpcError(failure)).toEqual({ kind: "invalid_input", message: "unknown method" });
  });

  it("turns an untyped rejection (Tauri rejects with strings) into an internal error", async () => {
    commands.authMethods.mockRejectedValue("command auth_methods not found");
    commands.chooseAuthMethod.mockResolvedValue({ status: "error", error: "not an IpcError" });

    const listing = await tauriBackend.authMethods().catch((caught: unknown) => caught);
    expect(listing).toBeInstanceOf(BackendError);
    expect(toIpcError(listing)).toEqual({ kind: "internal", message: "command auth_methods not found" });

    const choosing = await tauriBackend.chooseAuthMethod("personal").catch((caught: unknown) => caught);
    expect(toIpcError(choosing)).toEqual({ kind: "internal", message: "not an IpcError" });
  });
});
