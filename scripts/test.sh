#!/usr/bin/env bash
# Runs all of Candor's tests: unit tests, fuzz seeds, and the integration
# tests against Debian's Prosody, slixmpp and python-omemo and the real binary
# in tmux. Installs the Debian packages it needs when they are missing.
# No test may skip here: a skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(prosody tmux python3-slixmpp python3-omemo python3-oldmemo python3-twomemo python3-xmlschema libjpeg-turbo-progs profanity)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "installing: ${missing[*]}"
	sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian starts a system-wide Prosody on install; ours run on their own ports,
# but a stray one only costs memory.
(command -v service >/dev/null && service prosody stop >/dev/null 2>&1) || true

export CANDOR_INTEGRATION=require
go vet -tags integration ./...
go test -tags integration -count=1 -timeout 20m -json ./... | go run ./internal/testgate
