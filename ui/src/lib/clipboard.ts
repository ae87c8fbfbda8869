// Copying text for the person. The web view's clipboard may be missing or refused (no secure
// context, no permission): callers then show the text in a selectable box instead.

/** Copies `text`; resolves false when the clipboard is not available. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator === "undefined" || navigator.clipboard === undefined) {
      return false;
    }
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
