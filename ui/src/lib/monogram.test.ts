import { describe, expect, it } from "vitest";
import { ICON_HUES, monogram, monogramHue } from "./monogram";

describe("monogram", () => {
  it("takes the initials of two words, or two letters of one", () => {
    expect(monogram("Claude Desktop")).toBe("CD");
    expect(monogram("Cursor")).toBe("Cu");
    expect(monogram("VS Code Insiders")).toBe("VC");
    expect(monogram("GitHub Copilot CLI")).toBe("GC");
    expect(monogram("Roo Code")).toBe("RC");
    expect(monogram("  ")).toBe("?");
  });

  it("gives each id the same colour every time, within the palette", () => {
    for (const id of ["cursor", "vscode", "claude-desktop", "zed", "codex"]) {
      const hue = monogramHue(id);
      expect(hue).toBe(monogramHue(id));
      expect(hue).toBeGreaterThanOrEqual(0);
      expect(hue).toBeLessThan(ICON_HUES);
    }
    const hues = new Set(["cursor", "vscode", "claude-desktop", "zed", "codex", "windsurf"].map(monogramHue));
    expect(hues.size, "neighbouring clients do not all share one colour").toBeGreaterThan(2);
  });
});
