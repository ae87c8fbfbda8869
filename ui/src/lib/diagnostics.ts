// The redacted diagnostics of a failed check, for "Copy details": what a helper needs to tell
// what went wrong. Built from the report alone, which never holds the token (the core redacts the
// server's body); the email is left out too.

import type { ProbeReport } from "./backend";

/** Plain text, one `name: value` per line. */
export function diagnostics(report: ProbeReport, appVersion = "Rovo MCP Setup"): string {
  const error = report.error;
  const lines = [
    `${appVersion}: credential check`,
    `verdict: ${report.verdict}`,
    `kind: ${error?.kind ?? report.verdict}`,
    `http status: ${error?.httpStatus ?? "none"}`,
    `message: ${error?.message ?? ""}`,
    `hint: ${error?.hint ?? ""}`,
    `endpoint: ${report.endpoint ?? "unknown"}`,
    `auth method: ${report.auth ?? "unknown"}`,
    `protocol: ${report.protocolVersion ?? "none"}`,
    `server: ${report.server === null ? "unknown" : `${report.server.name} ${report.server.version}`}`,
    `total time: ${report.timings.totalMs} ms in ${report.timings.sequentialExchanges} sequential exchanges`,
    `warnings: ${report.warnings.map((warning) => warning.code).join(", ") || "none"}`,
    `body excerpt: ${error?.bodyExcerpt ?? "none"}`,
  ];
  return `${lines.join("\n")}\n`;
}
