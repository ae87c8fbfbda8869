#!/bin/sh
# Jamf Pro extension attribute (Settings > Computer management > Extension attributes, input
# type Script): Rovo MCP Setup's health for the person at the console, as one line,
# "<state>: <what it means>", where state is healthy, expiring, failing, not-set-up,
# client-broken, not-installed or no-user (docs/it-deployment.md, section 7). A smart group on
# "Rovo MCP health" "like" "expiring" finds the Macs whose token runs out soon.
#
# Jamf runs it as root; the setup lives in the person's home, so it asks as them.
# ROVO_MCP_CLI and ROVO_MCP_USER replace the installed binary and the console user.

cli=${ROVO_MCP_CLI:-"/Applications/Rovo MCP Setup.app/Contents/MacOS/rovo-mcp-setup-cli"}
user=${ROVO_MCP_USER:-$(stat -f %Su /dev/console 2>/dev/null)}
# The console's owner when nobody is signed in; a named ROVO_MCP_USER is asked whoever it is.
console_only=${ROVO_MCP_USER:+no}

if [ ! -x "$cli" ]; then
    echo "<result>not-installed: $cli is not there</result>"
    exit 0
fi
case ${console_only:-yes}:$user in
    *: | yes:root | yes:loginwindow | yes:_mbsetupuser)
        echo "<result>no-user: nobody is signed in at the console</result>"
        exit 0
        ;;
esac
if [ "$(id -un)" = "$user" ]; then
    summary=$("$cli" status --summary 2>/dev/null)
else
    summary=$(sudo -u "$user" -H "$cli" status --summary 2>/dev/null)
fi
echo "<result>${summary:-unknown: status printed nothing}</result>"
