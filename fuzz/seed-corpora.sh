#!/usr/bin/env bash
# Writes the fuzz targets' seed corpora into fuzz/corpus/ from the test fixtures, so no corpus
# is committed: the golden client configs for the editors (each with every location and value
# selector, see crates/invariants/src/edits.rs), and typical replies and refusals for the reply
# parser. Inputs libFuzzer found later stay in fuzz/corpus/ between runs.
set -euo pipefail
cd "$(dirname "$0")"
golden=../crates/core/tests/golden

seed_editor() { # target extension...
  local target=$1; shift
  mkdir -p "corpus/$target"
  for extension in "$@"; do
    # The golden files are insta snapshots: the config follows their `---` header.
    for fixture in "$golden"/*."$extension".snap; do
      [ -e "$fixture" ] || continue
      for selector in 0 1 2 5 30; do
        { printf "\\$(printf '%03o' "$selector")"; awk 'seen == 2 { print; next } /^---$/ { seen++ }' "$fixture"; } \
          > "corpus/$target/$(basename "$fixture" .snap).$selector"
      done
    done
  done
}
seed_editor edit_jsonc json jsonc
seed_editor edit_toml toml
seed_editor edit_yaml yaml yml

# Status (two bytes, 100 + value % 500), content type (0 JSON, 1 event stream, 2 HTML, 3 none),
# request id, then the body.
seed_reply() { # name status content-type body
  local status=$(($2 - 100))
  printf "\\$(printf '%03o' $((status / 256)))\\$(printf '%03o' $((status % 256)))\\$(printf '%03o' "$3")\\001%s" "$4" \
    > "corpus/mcp_reply/$1"
}
mkdir -p corpus/mcp_reply
seed_reply json-result 200 0 '{"jsonrpc":"2.0","id":1,"result":{"tools":[],"nextCursor":"2"}}'
seed_reply json-error 200 0 '{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Unsupported protocol version"}}'
seed_reply event-stream 200 1 $'id: 0\ndata:\n\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\ndata: {"jsonrpc":"2.0","id":1,\ndata: "result":{}}\n\n'
seed_reply web-page 200 2 '<!doctype html><title>Sign in to the proxy</title>'
seed_reply unauthorized 401 0 'Unauthorized'
seed_reply ip-allowlist 403 3 "You don't have permission to connect from this IP address. Please ask your admin for access."
seed_reply legacy-token 403 0 'This endpoint requires a modern API token (API token with scopes).'
seed_reply bad-request 400 0 '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Bad Request: No valid session ID"}}'
seed_reply rate-limited 429 3 ''
seed_reply server-error 503 2 '<html>down</html>'

# Inputs that once broke a target are replayed first.
for folder in regressions/*/; do
  target=$(basename "$folder")
  mkdir -p "corpus/$target"
  cp "$folder"* "corpus/$target/"
done

mkdir -p corpus/credentials
printf 'ATATT3xFfGF0-scoped_token=ABCDEF12' > corpus/credentials/scoped-token
printf 'Basic bWVAZXhhbXBsZS5jb206QVRBVFQzeEZmR0YwLXNjb3BlZF90b2tlbj1BQkNERUYxMg==' > corpus/credentials/basic-pair
printf '\n\tBearer ATATT3xFfGF0 inner space\r\n' > corpus/credentials/bearer-damaged
