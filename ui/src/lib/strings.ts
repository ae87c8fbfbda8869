// Every piece of text the wizard shows, in one object, so that it can be translated later.
// Components never hard-code user-visible text; tests look text up here too.

import type {
  AuthMethod,
  Change,
  CredentialField,
  ErrorKind,
  KeychainCarrier,
  LimitationCause,
  MissingReason,
  SecretMode,
} from "./backend";
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

type FailureText = {
  /** What most likely caused it. */
  cause: string;
  /** What to do next. */
  action: string;
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

  demo: {
    title: "Demo.",
    body: "A stand-in server answers and a sandbox folder stands in for your home: nothing on this computer is changed. Any email works; a token starting with ATATT3 counts as scoped, any other as a classic token.",
    sandbox: (home: string) => `Sandbox: ${home}`,
  },

  /** How far away an expiry date is, as a phrase. */
  expiresIn: (days: number) =>
    days < -1
      ? `expired ${-days} days ago`
      : days === -1
        ? "expired yesterday"
        : days === 0
          ? "expires today"
          : days === 1
            ? "expires tomorrow"
            : `expires in ${days} days`,

  onRecord: {
    label: "Your current setup",
    /** What is set up: the method, and whose (an email, or an OAuth client's ID). */
    summary: (method: string, who: { email: string | null; clientId: string | null }) =>
      who.clientId !== null
        ? `Already set up with a ${method} (client ID ${who.clientId}).`
        : who.email === null
          ? `Already set up with a ${method}.`
          : `Already set up with the ${method} of ${who.email}.`,
    expiry: (date: string, phrase: string) => `It ${phrase} (${date}).`,
    usedBy: (names: string) => `Used by ${names}.`,
    unused: "No client uses it right now.",
    rotate: "Rotate token…",
    rotateHint: "Replace it everywhere at once; or set up again below.",
    v1: (from: string, to: string) =>
      `It uses the v1 endpoint (${from}). Atlassian keeps serving it but now recommends v2 (${to}), which offers every newer tool.`,
    moveToV2: "Move to v2",
    moveHint:
      "The token in the keychain is checked against v2, then every client's change is shown before it is written, as in a setup.",
  },

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
  /** Next on the credentials step, which starts the check. */
  checkCredential: "Check",
  retry: "Try again",

  policy: {
    bannerLabel: "Your organisation's policy",
    banner: (organization: string | null) =>
      `${organization ?? "Your organisation"} sets some of these choices for everyone; they are shown locked.`,
    /** Beside a locked choice. */
    setBy: (organization: string | null) => `Set by ${organization ?? "your organisation"}`,
    /** Beside the OAuth client when the policy keeps secrets in the clients' files. */
    oauthNeedsKeychain: (organization: string | null) =>
      `${organization ?? "Your organisation"} keeps secrets in the clients' settings files, and an OAuth client's access tokens last an hour: only the system keychain can hold it.`,
    help: "Help from your IT team:",
    endpoint: "Endpoint:",
    secretMode: "Secret mode:",
  },

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
      "service-oauth": {
        label: "Service account (OAuth client)",
        explanation:
          "The way Atlassian now recommends for a service account: its OAuth 2.0 client ID and secret are exchanged for an access token that lasts an hour and is renewed as needed. Choose it when your organisation keeps API-token sign-in off.",
        pageHint:
          "An admin opens Directory → Service accounts there, picks the account, and creates an OAuth 2.0 credential with the Rovo MCP scopes.",
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
      clientId: {
        label: "Client ID",
        hint: "The client ID of the service account's OAuth 2.0 credential.",
        need: "The client ID of the service account's OAuth 2.0 credential",
      },
      clientSecret: {
        label: "Client secret",
        hint: "Paste the secret shown once when the credential was created.",
        need: "Its client secret",
      },
    } satisfies Record<CredentialField, FieldText>,
    openPage: {
      personal: "Open the token page",
      service: "Open Atlassian Administration",
      "service-oauth": "Open Atlassian Administration",
    } satisfies Record<AuthMethod, string>,
    openPageHint: "Opens in your browser.",
    expiry: {
      label: "Token expiry date",
      hint: "The date you chose when creating the token. The app reminds you before it expires.",
    },
    secretExpiry: {
      label: "Client secret expiry date",
      hint: "The date the OAuth 2.0 credential's secret expires. The app reminds you before it does.",
    },
    cleaning: {
      heading: "What the check will use",
      token: (prefix: string, length: number) =>
        `A token of ${length} characters${prefix === "" ? "" : ` starting with ${prefix}`}.`,
      trimmed: "Spaces and line breaks around it are ignored.",
      strippedPrefix: (scheme: string) => `The pasted “${scheme}” prefix is ignored; only the token after it is used.`,
      unpacked: (email: string) => `This is a base64 email:token pair; it will be unpacked for ${email}.`,
      notScoped:
        "This does not look like a scoped token (those start with ATATT3). A classic token may sign in but unlock no Jira or Confluence tools. You can still check it.",
      tooLong: "This is far longer than an API token. Paste the token alone.",
      secretTooLong: "This is far longer than a client secret. Paste the secret alone.",
      secretInId:
        "The client ID looks like the secret: it is the same text, or far longer than an ID (Atlassian's have 32 characters). Paste the client ID there.",
      spaceInId: "The client ID has a space or line break inside it. Paste the client ID alone.",
      trimmedClient: "Spaces and line breaks around the client ID and the secret are ignored.",
    },
  },

  check: {
    progressLabel: "Progress of the check",
    stages: {
      connecting: "Connecting to the Rovo MCP server",
      signedIn: "Signed in",
      listingTools: "Listing the tools",
      readingAccount: "Reading the account and its sites",
    },
    listingPage: (page: number) => `Listing the tools (page ${page})`,
    running: "Checking…",
    cancel: "Cancel",
    cancelled: "The check was cancelled. Nothing was saved.",
    again: "Check again",
    backToCredentials: "Change the credentials",
    okHeading: "The credential works",
    okSummary: (tools: number, products: number) =>
      `${tools} ${tools === 1 ? "tool" : "tools"} across ${products} ${products === 1 ? "product" : "products"} can be used. Next shows them.`,
    signedInAs: (who: string) => `Signed in as ${who}.`,
    limitedHeading: "Signed in, but no Jira or Confluence tools",
    limitedExplanation:
      "The server accepted the credential but offers only account or Teamwork Graph tools. This happens with a classic token that has no scopes, or with a personal token sent as a service-account key (Bearer).",
    limitedHeadings: {
      classic_token: "Signed in with a classic token, which no tool accepts",
      wrong_app: "Signed in, but the token was made for the other Rovo MCP app",
      personal_token_as_bearer: "Signed in, but a personal token was sent as a service-account key",
      scopes_match_no_tool: "Signed in, but the token's scopes unlock no tool",
      insufficient_scope: "Signed in, but a tool was refused for a missing scope",
      required_tools_missing: "Signed in, but tools your organisation requires are missing",
    } satisfies Record<LimitationCause, string>,
    limitedAction:
      "Go back and use a scoped token or the method that matches your token, or continue with what is available.",
    warningsHeading: "Worth knowing",
    failureHeading: "The check failed",
    cause: "Likely cause",
    action: "What to do",
    serverSaid: "What the server said",
    status: (status: number) => `HTTP status ${status}`,
    refusedHeading: "The credential could not be checked as entered",
    copyDetails: "Copy details",
    copied: "Copied. The details contain no token.",
    copyFallback: "Copying is not available here. Select the details below and copy them:",
    detailsLabel: "Details of the failed check",
  },

  tools: {
    none: "Run the check first.",
    account: "Account",
    accountName: "Name",
    accountEmail: "Email",
    accountId: "Account ID",
    sites: "Sites this credential reaches",
    siteName: "Site",
    cloudId: "Cloud ID",
    copy: "Copy",
    copyCloudId: (site: string) => `Copy the cloud ID of ${site}`,
    copied: "Copied",
    noSites: "No site list: the credential cannot use the site-listing tool.",
    search: "Search tools",
    searchPlaceholder: "Name or description",
    summary: (tools: number, products: number) =>
      `${tools} ${tools === 1 ? "tool" : "tools"} in ${products} ${products === 1 ? "product" : "products"}`,
    exposure: (primary: number, total: number, meta: string) =>
      `Your AI tools see ${primary} of these ${total} directly; they reach the other ${total - primary} through ${meta}, as Atlassian recommends. Tools marked “through discover” are among them.`,
    viaDiscover: "through discover",
    viaDiscoverLabel: "Reached through the discover and execute tools, not listed directly",
    manySites: (count: number) =>
      `This credential reaches ${count} sites. It is not bound to one site: give a tool call the cloud ID of the site you mean.`,
    productCount: (read: number, write: number) => `${read} read, ${write} write`,
    noMatch: (query: string) => `No tool matches “${query}”.`,
    read: "Read",
    write: "Write",
    readLabel: "Reads only",
    writeLabel: "Can change data",
    missingHeading: "Not available to this credential",
    missingIntro: "These tool groups of the Rovo MCP server are not listed for this credential:",
    reasons: {
      oauth_only: "Only available when signing in with OAuth.",
      not_for_service_keys: "Its scopes cannot be given to a service account's API key yet.",
      off_by_default: "Off until an organisation admin turns it on.",
      not_granted: "The token lacks these scopes, or an admin turned the group off.",
      not_granted_or_not_linked:
        "The token lacks these scopes, or the Bitbucket workspace is not linked to the organisation.",
    } satisfies Record<MissingReason, string>,
  },

  failures: {
    invalid_input: {
      cause: "Something in the credentials cannot be used as entered.",
      action: "Go back, correct the field named above, and check again.",
    },
    keychain_unavailable: {
      cause: "The system keychain is locked or not installed.",
      action: "Unlock the keychain and try again.",
    },
    config_invalid: {
      cause: "A client's settings file has a syntax error.",
      action: "Fix the file named above, then try again.",
    },
    config_write_failed: {
      cause: "A client's settings file could not be written.",
      action: "Check the file's permissions, then try again.",
    },
    state_unreadable: {
      cause: "The app's own settings file is damaged or unreadable.",
      action: "Check the file named above, or move it aside and try again.",
    },
    internal: {
      cause: "A fault in this app.",
      action: "Try again; if it happens again, copy the details and report it.",
    },
    unauthorized: {
      cause: "The token is mistyped, revoked or expired, or the email is not the token owner's.",
      action: "Copy the token again (or create a new one) and check that the email is your Atlassian account's.",
    },
    forbidden_ip: {
      cause: "Your organisation allows Atlassian access only from listed networks, and this one is not listed.",
      action: "Connect through your company network or VPN, or ask your Atlassian admin to allow this network.",
    },
    forbidden_legacy_token: {
      cause: "The token is a classic API token, created without scopes.",
      action: "Create a new token with “Create API token with scopes” and paste it instead.",
    },
    forbidden: {
      cause:
        "The server signed the token in, then refused to run a tool with it: an admin has turned off API-token sign-in for Rovo MCP, or your account lacks access.",
      action:
        "Ask your Atlassian admin to allow API tokens in Atlassian Administration → Rovo → Rovo MCP server → Authentication.",
    },
    network: {
      cause: "No connection to the server: offline, a proxy, or a name that does not resolve.",
      action: "Check your internet connection and proxy settings, then check again.",
    },
    tls: {
      cause: "The server's certificate is not trusted here, often because of a company proxy that inspects traffic.",
      action: "Ask IT to install the company root certificate, or try another network.",
    },
    timeout: {
      cause: "The server or the network is slow right now.",
      action: "Check again in a moment.",
    },
    rate_limited: {
      cause: "Too many requests were made for this account in a short time.",
      action: "Wait a minute, then check again.",
    },
    server_error: {
      cause: "The Rovo MCP server had a problem.",
      action: "Check again later; if it persists, see Atlassian's status page.",
    },
    not_mcp: {
      cause: "The address does not lead to the Rovo MCP server, for example a proxy's sign-in page.",
      action: "Check the endpoint setting (ROVO_MCP_ENDPOINT) and any proxy in between.",
    },
    protocol_error: {
      cause: "The server answered in an unexpected format.",
      action: "Check again; if it persists, copy the details and report it.",
    },
    oauth_client_rejected: {
      cause:
        "Atlassian's token endpoint did not accept the client ID and secret: one is mistyped, or the credential was revoked or deleted.",
      action:
        "Copy both again from the service account's OAuth 2.0 credential in admin.atlassian.com, or create a new credential.",
    },
    oauth_grant_refused: {
      cause: "This client may not sign in on its own: it is not a service account's OAuth 2.0 credential (perhaps a developer-console app).",
      action: "Create an OAuth 2.0 credential under Directory → Service accounts in admin.atlassian.com and use its client ID.",
    },
    oauth_scope_missing: {
      cause: "The credential was created without the scopes the Rovo MCP server needs.",
      action: "Create a new OAuth 2.0 credential for the service account with the Rovo MCP scopes (filter the app types to Rovo MCP).",
    },
    token_endpoint_invalid: {
      cause: "The token endpoint answered with something other than an access token, such as a proxy's sign-in page.",
      action: "Check the network or proxy, and the token endpoint address if your organisation set one.",
    },
  } satisfies Record<ErrorKind, FailureText>,

  clients: {
    intro: "Tick the AI clients to connect. Detected ones are ticked already; nothing is written until the next step.",
    loading: "Looking for AI clients…",
    listLabel: "AI clients found on this computer",
    othersLabel: "Other AI clients",
    others: (count: number) => `Other clients, not found on this computer (${count})`,
    notInstalled: "Not installed",
    installed: "Installed",
    hasEntry: (mode: string | null) => (mode ? `Already set up (${mode})` : "Already set up"),
    unreadable: "Its settings file cannot be read, so it cannot be chosen:",
    modeLabel: (name: string) => `Where ${name} gets the secret`,
    modes: {
      keychain: "System keychain (nothing in the file)",
      inline: "In its settings file",
      prompt: "Asks you once and stores it",
    } satisfies Record<SecretMode, string>,
    /** One line per client on what its chosen mode means for it. */
    modeExplained: (mode: SecretMode, client: { name: string; stdioBridge: boolean; keychainVia: KeychainCarrier | null }) => {
      switch (mode) {
        case "keychain":
          return client.keychainVia === "helper"
            ? `The secret stays in the system keychain: ${client.name} asks Rovo MCP Setup for the header each time it connects.`
            : `The secret stays in the system keychain: ${client.name} starts Rovo MCP Setup's bridge, which adds it.`;
        case "inline":
          return client.stdioBridge
            ? `The secret is written into ${client.name}'s settings file (readable by you only), and ${client.name} reaches the server through mcp-remote, which needs Node.js.`
            : `The secret is written into ${client.name}'s settings file, readable by you only; a new token means a new write.`;
        case "prompt":
          return `${client.name} asks you for the secret once and keeps it in its own secret storage.`;
      }
    },
    modeLimitsLabel: "Which clients can take which way of keeping the secret",
    oauthModeExplained: (name: string) =>
      `The client secret stays in the system keychain: ${name} starts Rovo MCP Setup's bridge or header helper, which exchanges it for an access token whenever one is needed.`,
    oauthKeychain:
      "A service account's OAuth client stays in the system keychain: its access tokens last an hour, so Rovo MCP Setup's bridge or header helper gets a new one whenever a client needs it.",
    noKeychain: (name: string) =>
      `${name} cannot use a service account's OAuth client: it can only keep a fixed secret in its settings, and access tokens last an hour. Use a service-account API key for ${name}.`,
    /** Which clients can or cannot take a mode, whichever list is shorter; `null` when all or none can. */
    modeLimits: (mode: SecretMode, having: string[], lacking: string[]) => {
      const label = ({ keychain: "System keychain", inline: "In its settings file", prompt: "Asks you once" } satisfies Record<
        SecretMode,
        string
      >)[mode];
      if (lacking.length === 0 || having.length === 0) {
        return null;
      }
      return having.length <= lacking.length
        ? `${label}: only ${having.join(", ")}.`
        : `${label}: every client but ${lacking.join(", ")}.`;
    },
    allTools: (total: number | null) =>
      total === null
        ? "Give my AI tools every tool directly (?tools=all)"
        : `Give my AI tools all ${total} tools directly (?tools=all)`,
    allToolsCost: (primary: number | null) =>
      `${primary === null ? "By default they see the main tools" : `By default they see ${primary} main tools`} and reach the rest through discover and execute, as Atlassian recommends. With every tool listed, each tool's name, description and input schema goes to the model with every request: that uses up context and can make it pick tools less well.`,
    preview: "Preview changes",
    previewing: "Working out the changes…",
    previewTitle: "What will change",
    previewFile: (name: string, path: string) => `${name}: ${path}`,
    diffLabel: (name: string) => `Changes to ${name}'s settings file`,
    noChange: "Nothing to change: the file already has this entry.",
    chosenCount: (count: number) => (count === 1 ? "1 client chosen" : `${count} clients chosen`),
  },

  write: {
    start: "Write settings",
    writing: "Saving the secret and writing the settings…",
    keychainStored: (account: string) => `The secret is saved in the system keychain (account ${account}).`,
    keychainFailed: (message: string) => `The secret could not be saved in the system keychain: ${message}`,
    resultsLabel: "Result per client",
    changes: {
      create: "Created",
      update: "Updated",
      unchanged: "Already up to date",
      delete: "Removed",
    } satisfies Record<Change, string>,
    failed: "Not changed",
    restart: (name: string) => `Restart ${name} to pick this up.`,
    replanned: (name: string) =>
      `${name}'s settings file changed after the preview; the change was worked out again from its new contents.`,
    stateError: (message: string) => `The app could not remember this setup for reminders: ${message}`,
    undo: "Undo",
    undoing: "Putting the files back…",
    undoneTitle: "Undo",
    undone: {
      create: "Restored",
      update: "Restored",
      unchanged: "Nothing to restore",
      delete: "Removed the file it created",
    } satisfies Record<Change, string>,
    undoneNote: "The files are back as they were. Go Back to choose again, or close the app.",
    credentialRestored: "The keychain and the app's record of the token are back as they were, too.",
    credentialKept: (reason: string) => `The new token stays in the keychain: ${reason}.`,
  },

  done: {
    intro: "Your AI clients can now use Atlassian Rovo MCP.",
    configured: "Connected",
    noneConfigured: "No client was changed.",
    secretPlace: "Where the secret is",
    secretModes: {
      keychain: "in the system keychain; the client starts a small bridge that reads it",
      inline: "in the client's settings file, readable by you only",
      prompt: "the client asks you for it once and stores it itself",
    } satisfies Record<SecretMode, string>,
    expiry: "Token expires",
    secretExpiry: "Client secret expires",
    expiryUnknown: "Not given",
    restartTitle: "Restart to pick it up",
    reminded: {
      label: "Keep me reminded",
      hint: "Starts Rovo MCP Setup in the tray when you log in: it checks the token daily and reminds you 14, 3 and 1 days before it expires.",
      unavailable: "The demo does not start at login; a real setup does.",
      /** Beside "Set by …" when the policy keeps start at login off. */
      lockedOff: "not started at login",
      lockedOffYours: "never turned on; the entry you made stays until you untick it",
      saving: "Saving…",
    },
  },

  rotate: {
    title: "Rotate token",
    tagline: "Replace the token everywhere it is used, in one go.",
    steps: { secret: "New token", clientSecret: "New client secret", apply: "Apply" },
    stepsLabel: "Rotation steps",
    loading: "Reading your current setup…",
    current: "Current setup",
    method: {
      personal: "personal API token",
      service: "service-account API key",
      "service-oauth": "service account's OAuth client",
    } satisfies Record<AuthMethod, string>,
    clientsLabel: "Clients that use it",
    modes: {
      keychain: "reads the system keychain: nothing to change in its file",
      inline: "its settings file is rewritten",
      prompt: "asks you for the new token itself",
    } satisfies Record<SecretMode, string>,
    noClients: "No client uses the current token.",
    newSecret: "The new token",
    newClientSecret: "The new client secret",
    clientIdHint: "The client the new secret belongs to. Change it only when you created a new OAuth 2.0 credential.",
    intro: "Create a new token, paste it here, and check it. Nothing changes until the check passes and you apply it.",
    introSecret:
      "Create a new secret for the service account's OAuth 2.0 credential, paste it here, and check it. Nothing changes until the check passes and you apply it.",
    check: "Check",
    checking: "Checking the new token…",
    passed: (tools: number) => `The new token works: ${tools} tools.`,
    passedSecret: (tools: number) => `The new client secret works: ${tools} tools.`,
    limited: "The new token signs in but unlocks no Jira or Confluence tools, so it would break your clients. Create a token with scopes and check again.",
    apply: "Apply to every client",
    applying: "Putting the new token in the keychain and your clients…",
    resultsLabel: "Result per client",
    keychainClient: "Reads the new token from the keychain",
    manual: "Do this yourself",
    finished: "The new token is in place. The old one can now be revoked at id.atlassian.com.",
    finishedSecret:
      "The new client secret is in place. The old one can now be revoked in admin.atlassian.com, under the service account's OAuth 2.0 credentials.",
    close: "Close",
    back: "Back",
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
    oauth_client_rejected: "Atlassian did not accept the service account's client ID and secret.",
    oauth_grant_refused: "This client ID is not a service account's OAuth credential.",
    oauth_scope_missing: "The service account's OAuth credential has no Rovo MCP scopes.",
    token_endpoint_invalid: "The token endpoint did not answer with an access token.",
  } satisfies Record<ErrorKind, string>,
} as const;
