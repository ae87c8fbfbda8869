// A canned stand-in for the Rust side, used only when the page runs in a plain browser
// (`npm run dev`, `npm run preview`). Inside the app, `createBackend` never loads it.
// Keep it tiny: it demonstrates the screens, it does not imitate the backend's logic.

import type { AuthMethodInfo, Backend } from "./backend";

const METHODS: AuthMethodInfo[] = [
  {
    method: "personal",
    scheme: "basic",
    headerTemplate: "Authorization: Basic base64(email:token)",
    credentialFields: ["email", "apiToken"],
    credentialPageUrl: "https://id.atlassian.com/manage-profile/security/api-tokens",
  },
  {
    method: "service",
    scheme: "bearer",
    headerTemplate: "Authorization: Bearer key",
    credentialFields: ["serviceKey"],
    credentialPageUrl: "https://admin.atlassian.com",
  },
];

export const demoBackend: Backend = {
  isDemo: true,
  authMethods: async () => METHODS,
  chooseAuthMethod: async (method) => {
    const info = METHODS.find((candidate) => candidate.method === method);
    if (info === undefined) {
      throw new Error(`unknown method ${method}`);
    }
    return info;
  },
};
