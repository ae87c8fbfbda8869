// Every piece of text the wizard shows, in one object, so that it can be translated later.
// Components never hard-code user-visible text; tests look text up here too.

import type { AuthMethod, CredentialField, ErrorKind } from "./backend";
import type { StepId } from "./wizard.svelte";

type StepText = {
  /** Short name in the step indicator. */
  name: string;
  /** Heading of the step's page. */
  title: string;
};

type MethodText = {
  label: string;
  /** One sentence: who the credential belongs to, how it is sent, where it is made. */
  explanation: string;
  /** What to do on the credential page, shown under its address. */
  pageHint: string;
};

type FieldText = {
  /** Label of the input on the credentials step. */
  label: string;
  /** Hint under the input. */
  hint: string;
  /** How the method step lists it under "You will need". */
  need: string;
};

export const strings = {
  productName: "Rovo MCP Setup",
  tagline: "Connect your AI tools to the Atlassian Rovo MCP server with an API token.",

  stepsLabel: "Setup steps",
  stepCompleted: "(completed)",
  /** Read by screen readers with the step's title. */
  stepPosition: (current: number, total: number) => `Step ${current} of ${total}`,
  steps: {
    method: { name: "Method", title: "Choose how to sign in" },
    credentials: { name: "Credentials", title: "Enter your credentials" },
    check: { name: "Check", title: "Check the credential" },
    tools: { name: "Tools", title: "Tools you can use" },
    clients: { name: "Clients", title: "Choose your AI clients" },
    write: { name: "Write", title: "Save and write the settings" },
    done: { name: "Done", title: "All set" },
  } satisfies Record<StepId, StepText>,

  back: "Back",
  next: "Next",
  retry: "Try again",

  method: {
    legend: "Which credential will your AI tools use?",
    loading: "Loading the sign-in methods…",
    asking: "Looking up what this method needs…",
    options: {
      personal: {
        label: "Personal API token",
        explanation:
          "Your own Atlassian account: the token is sent with your email as Basic base64(email:token), and you create it at id.atlassian.com with “Create API token with scopes”.",
        pageHint: "Sign in there, choose “Create API token with scopes”, and copy the token it shows once.",
      },
      service: {
        label: "Service-account API key",
        explanation:
          "A non-human account that an Atlassian admin created: its key is sent as a Bearer token, and it is created in Atlassian Administration → Directory → Service accounts.",
        pageHint: "An admin opens Directory → Service accounts there, picks the account and creates an API key.",
      },
    } satisfies Record<AuthMethod, MethodText>,
    answer: {
      heading: "What this method needs",
      header: "Header sent",
      needs: "You will need",
      where: "Where to create it",
      copyHint: "Select the address and paste it into your browser.",
    },
  },

  credentials: {
    intro: "Enter the details for the method you chose. Nothing is saved or sent yet.",
    noMethod: "Go back and choose a sign-in method first.",
    show: "Show",
    hide: "Hide",
    fields: {
      email: {
        label: "Atlassian account email",
        hint: "The address you sign in to Atlassian with.",
        need: "The email address of your Atlassian account",
      },
      apiToken: {
        label: "API token",
        hint: "Paste the token exactly as Atlassian showed it.",
        need: "A personal API token, created with scopes",
      },
      serviceKey: {
        label: "Service-account API key",
        hint: "Paste the API key created for the service account.",
        need: "An API key of the service account",
      },
    } satisfies Record<CredentialField, FieldText>,
  },

  errors: {
    invalid_input: "The app did not accept that choice.",
    keychain_unavailable: "The system keychain could not be used.",
    config_invalid: "A client's settings file could not be read, so it was left untouched.",
    config_write_failed: "A client's settings file could not be changed, so it was left as it was.",
    state_unreadable: "The app's own settings file could not be read, so it was left as it is.",
    internal: "Something went wrong inside the app.",
    unauthorized: "Atlassian did not accept the email and token.",
    forbidden_ip: "Your organisation does not allow connections from this network.",
    forbidden_legacy_token: "This token has no scopes; Rovo MCP needs a token created with scopes.",
    forbidden: "Atlassian refused access for this token.",
    network: "The Rovo MCP server could not be reached.",
    tls: "The secure connection to the Rovo MCP server failed.",
    timeout: "The Rovo MCP server took too long to answer.",
    rate_limited: "Atlassian is limiting requests for this account; try again shortly.",
    server_error: "The Rovo MCP server failed; try again later.",
    not_mcp: "That address did not answer like the Rovo MCP server.",
    protocol_error: "The server answered in a way this app does not understand.",
  } satisfies Record<ErrorKind, string>,
} as const;
