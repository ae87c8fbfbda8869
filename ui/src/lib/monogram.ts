// The initials and colour of a client's icon (components/ClientIcon.svelte).

/** How many colours the stylesheet defines for icons (`.client-icon.hue-N`). */
export const ICON_HUES = 8;

/** Up to two letters: the first letters of the first two words, else the first two letters. */
export function monogram(name: string): string {
  const words = name
    .split(/[\s\-_.]+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter((word) => word !== "");
  if (words.length === 0) {
    return "?";
  }
  const letters = words.length === 1 ? [...words[0]].slice(0, 2) : words.slice(0, 2).map((word) => [...word][0]);
  return letters.map((letter, index) => (index === 0 ? letter.toUpperCase() : letter)).join("");
}

/** A colour index in `[0, ICON_HUES)` that depends only on `id`. */
export function monogramHue(id: string): number {
  let hash = 0;
  for (const unit of id) {
    hash = (hash * 31 + (unit.codePointAt(0) ?? 0)) >>> 0;
  }
  return hash % ICON_HUES;
}
