import { beforeEach, describe, expect, it, vi } from "vitest";

// The facade's own test is the one place that replaces the generated bindings.
const commands = vi.hoisted(() => ({
  authMethods: vi.fn(),
  chooseAuthMethod: vi.fn(),
}));
vi.mock("./bindings", () => ({ commands }));

import { BackendError, tauriBackend, toIpcError } from "./backend";
import { PERSONAL, SERVICE } from "../test/fake-backend";

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.unreachable("the call should have failed"),
    (caught: unknown) => caught,
  );
}

describe("tauriBackend", () => {
  beforeEach(() => {
    commands.authMethods.mockReset();
    commands.chooseAuthMethod.mockReset();
  });

  it("lists the methods the Rust side offers", async () => {
    commands.authMethods.mockResolvedValue([PERSONAL, SERVICE]);

    await expect(tauriBackend.authMethods()).resolves.toEqual([PERSONAL, SERVICE]);
  });

  it("passes the chosen method as the request and returns the answer", async () => {
    commands.chooseAuthMethod.mockResolvedValue(PERSONAL);

    await expect(tauriBackend.chooseAuthMethod("personal")).resolves.toEqual(PERSONAL);
    expect(commands.chooseAuthMethod).toHaveBeenCalledExactlyOnceWith({ method: "personal" });
  });

  it("throws a command's IpcError as a BackendError of the same kind", async () => {
    commands.chooseAuthMethod.mockRejectedValue({ kind: "invalid_input", message: "unknown method" });

    const failure = await failureOf(tauriBackend.chooseAuthMethod("service"));
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).kind).toBe("invalid_input");
    expect(toIpcError(failure)).toEqual({ kind: "invalid_input", message: "unknown method" });
  });

  it("turns Tauri's own string rejections into internal errors", async () => {
    commands.authMethods.mockRejectedValue("command auth_methods not found");

    const failure = await failureOf(tauriBackend.authMethods());
    expect(failure).toBeInstanceOf(BackendError);
    expect(toIpcError(failure)).toEqual({ kind: "internal", message: "command auth_methods not found" });
  });
});
