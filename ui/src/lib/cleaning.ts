// A display-only mirror of the core's cleaning of a pasted token (`credentials.rs`), so the
// credentials step can say live what the check will use. The core cleans again and decides: this
// never blocks anything and never sends anything.

/** The core refuses a token field longer than this many bytes (`MAX_PASTED_BYTES`). */
export const MAX_PASTED_BYTES = 4096;

/** How every scoped API token starts. */
export const SCOPED_TOKEN_PREFIX = "ATATT3";

export type Cleaning = {
  /** The token the core will most likely use; empty when there is none. */
  token: string;
  /** Spaces or line breaks around the token were dropped. */
  trimmed: boolean;
  /** A `Basic `/`Bearer ` prefix was dropped. */
  strippedPrefix: "basic" | "bearer" | null;
  /** A base64 `email:token` was unpacked; its email. */
  unpackedEmail: string | null;
  /** The token does not start with ATATT3: probably a classic token (a warning only). */
  notScoped: boolean;
  /** Far longer than any token: the check will refuse it. */
  tooLong: boolean;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the core will make of `pasted`, for display. */
export function cleanPasted(pasted: string): Cleaning {
  const cleaning: Cleaning = {
    token: "",
    trimmed: false,
    strippedPrefix: null,
    unpackedEmail: null,
    notScoped: false,
    tooLong: new TextEncoder().encode(pasted).length > MAX_PASTED_BYTES,
  };
  if (cleaning.tooLong) {
    return cleaning;
  }
  let text = pasted.trim();
  cleaning.trimmed = text !== pasted && text !== "";
  const prefix = /^(basic|bearer)\s+/i.exec(text);
  if (prefix) {
    cleaning.strippedPrefix = prefix[1].toLowerCase() as "basic" | "bearer";
    text = text.slice(prefix[0].length);
  }
  const pair = unpackPair(text);
  if (pair !== null) {
    cleaning.unpackedEmail = pair.email;
    text = pair.token;
  }
  cleaning.token = text;
  cleaning.notScoped = text !== "" && !text.startsWith(SCOPED_TOKEN_PREFIX);
  return cleaning;
}

function unpackPair(text: string): { email: string; token: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    return null;
  }
  let decoded: string;
  try {
    decoded = atob(text);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) {
    return null;
  }
  const email = decoded.slice(0, colon).trim();
  return EMAIL.test(email) ? { email, token: decoded.slice(colon + 1) } : null;
}

/** The part of a token safe to show: the public `ATATT3` prefix of a scoped token, else nothing. */
export function visiblePrefix(token: string): string {
  return token.startsWith(SCOPED_TOKEN_PREFIX) ? SCOPED_TOKEN_PREFIX : "";
}

/** The longest client ID the core accepts (`LONGEST_CLIENT_ID`); Atlassian's are 32 characters. */
export const LONGEST_CLIENT_ID = 128;

export type ClientCleaning = {
  /** Spaces or line breaks around the ID or the secret were dropped. */
  trimmed: boolean;
  /** The ID holds a space or line break inside: the check will refuse it. */
  spaceInId: boolean;
  /** The ID is the secret too, or far longer than an ID: the secret went into the ID field. */
  secretInId: boolean;
};

/** What the core will make of a pasted OAuth client ID and secret, for display. */
export function cleanClient(clientId: string, secret: string): ClientCleaning {
  const id = clientId.trim();
  const cleanSecret = secret.trim();
  return {
    trimmed: (id !== "" && id !== clientId) || (cleanSecret !== "" && cleanSecret !== secret),
    spaceInId: /\s/.test(id),
    secretInId: id !== "" && (id === cleanSecret || id.length > LONGEST_CLIENT_ID),
  };
}
