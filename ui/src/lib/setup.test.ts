import { describe, expect, it } from "vitest";
import { CLIENTS } from "../test/fake-backend";
import { ticksAtFirst } from "./setup";

const installed = { ...CLIENTS[0], installed: true, problem: null };
const absent = { ...CLIENTS[0], id: "zed", installed: false, problem: null };
const broken = { ...CLIENTS[0], id: "windsurf", installed: true, problem: "line 1: unexpected }" };

describe("ticksAtFirst", () => {
  it("ticks the detected clients when no policy names any", () => {
    expect(ticksAtFirst(installed, null)).toBe(true);
    expect(ticksAtFirst(absent, null)).toBe(false);
  });

  it("ticks exactly the clients the policy names, installed or not", () => {
    expect(ticksAtFirst(absent, ["zed"])).toBe(true);
    expect(ticksAtFirst(installed, ["zed"])).toBe(false);
    expect(ticksAtFirst(absent, ["all"])).toBe(true);
    expect(ticksAtFirst(absent, ["detected"])).toBe(false);
    expect(ticksAtFirst(absent, ["detected", "zed"])).toBe(true);
  });

  it("never ticks a client whose file cannot be read", () => {
    expect(ticksAtFirst(broken, null)).toBe(false);
    expect(ticksAtFirst(broken, ["all"])).toBe(false);
  });
});
