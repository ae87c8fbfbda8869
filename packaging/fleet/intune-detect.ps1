# Microsoft Intune remediation, detection script: is Rovo MCP Setup healthy for the signed-in
# person? Upload under Devices > Scripts and remediations, with "Run this script using the
# logged-on credentials" set to Yes (the setup lives in that person's profile) and "Run script
# in 64-bit PowerShell" set to Yes. Intune shows the line this prints in the device's
# "pre-remediation detection output"; exit 1 marks the device for the remediation script.
#
# The line is `rovo-mcp-setup-cli status --summary`: "<state>: <what it means>", where state
# is healthy, expiring, failing, not-set-up or client-broken (docs/it-deployment.md, section 7).

$cli = $env:ROVO_MCP_CLI
if (-not $cli) {
    $cli = Join-Path $env:ProgramFiles 'Rovo MCP Setup\rovo-mcp-setup-cli.exe'
}
if (-not (Test-Path -LiteralPath $cli)) {
    Write-Output "not-installed: $cli is not there"
    exit 1
}
$summary = & $cli status --summary 2>$null
$code = $LASTEXITCODE
if (-not $summary) {
    $summary = "unknown: status printed nothing (exit code $code)"
}
Write-Output $summary
if ($code -eq 0) {
    exit 0
}
exit 1
