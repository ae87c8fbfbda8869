#!/bin/sh
# Rovo MCP Setup's health for one person on a Linux machine, for a monitoring agent, cron or
# Ansible (`ansible.builtin.command` with `changed_when: false`): prints one line,
# "<state>: <what it means>", and exits with status's own code, 0 only when healthy
# (docs/it-deployment.md, section 7). Run as root it asks as USER (the first argument, or the
# owner of the graphical session); run as the person it asks directly.
#
# ROVO_MCP_CLI replaces the installed binary.

cli=${ROVO_MCP_CLI:-/usr/bin/rovo-mcp-setup-cli}
user=${1:-$(loginctl list-sessions --no-legend 2>/dev/null | awk '$3 != "root" && $3 != "" { print $3; exit }')}

if [ ! -x "$cli" ]; then
    echo "not-installed: $cli is not there"
    exit 12
fi
if [ "$(id -u)" -ne 0 ] || [ -z "$user" ] || [ "$(id -un)" = "$user" ]; then
    "$cli" status --summary 2>/dev/null
    exit $?
fi
home=$(getent passwd "$user" | cut -d: -f6)
if [ -z "$home" ]; then
    echo "no-user: $user is not a user of this machine"
    exit 12
fi
# The person's own environment, as their session has it: their home and runtime folder.
exec runuser -u "$user" -- env HOME="$home" XDG_RUNTIME_DIR="/run/user/$(id -u "$user")" \
    "$cli" status --summary
