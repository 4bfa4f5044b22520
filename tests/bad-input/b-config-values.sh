#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86.* values that are garbage or out of range, cover templates that
# are no text file, a lore server that stalls: an error naming the key or
# the file (exit 128), nothing changed; the whole lore look-up is bounded
# by kvmx86.httpTimeout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../integration/lib-lore.sh"

enrolled_series
b=x86/vmx/good-series
sf=$(state_file "$b")
jq '.revision = 2 | .cover.subject = "KVM: VMX: Harden"' "$sf" >"$T/s.json" &&
	cp "$T/s.json" "$sf"
git config user.name "Tess Ting"
git config user.email tess@example.com

# bad_config KEY VALUE MESSAGE [ARGS...]: with KEY set to VALUE, prep
# --cover (or ARGS) fails naming KEY; nothing changes.
bad_config() {
	local key=$1 value=$2 msg=$3
	shift 3
	git config "$key" "$value"
	snapshot "$T/before"
	if [ $# -eq 0 ]; then
		run_kvmx86 prep --cover --offline
	else
		run_kvmx86 "$@"
	fi
	expect_fatal
	expect_message "$msg"
	expect_stderr_contains "git config --unset $key"
	expect_clean_bytes
	expect_unchanged "$T/before" "$key=$value"
	git config --unset "$key"
}

note "kvmx86.httpTimeout and kvmx86.httpRetries"
for v in abc 0 -1 3601 "10 s" 1.5 99999999999; do
	bad_config kvmx86.httpTimeout "$v" \
		"bad config value '$v' for 'kvmx86.httpTimeout': expected a whole number from 1 to 3600"
done
for v in x 11 -2; do
	bad_config kvmx86.httpRetries "$v" \
		"bad config value '$v' for 'kvmx86.httpRetries': expected a whole number from 0 to 10"
done
note "git's units are read as git reads them"
git config kvmx86.httpTimeout 4k
run_kvmx86 prep --cover --offline
expect_fatal
expect_message "bad config value '4k' for 'kvmx86.httpTimeout'"
git config kvmx86.httpTimeout 1k
run_kvmx86 prep --cover --offline
expect_exit 0
git config --unset kvmx86.httpTimeout

note "kvmx86.loreUrl and kvmx86.loreLinkUrl"
bad_config kvmx86.loreUrl "ftp://lore.kernel.org/all" \
	"bad config value 'ftp://lore.kernel.org/all' for 'kvmx86.loreUrl': expected an http:// or https:// URL"
bad_config kvmx86.loreLinkUrl $'https://lore.kernel.org/r\nBcc: x@y' \
	"for 'kvmx86.loreLinkUrl': a URL holds no blanks or control characters"
bad_config kvmx86.loreUrl "https:///all" "the URL names no host"

note "kvmx86.superficialLines (check-base)"
git config kvmx86.superficialLines lots
run_kvmx86 check-base
expect_fatal
expect_message "bad config value 'lots' for 'kvmx86.superficialLines'"
git config --unset kvmx86.superficialLines

note "a cover template that is a directory, a device, too large"
mkdir -p "$T/tpl.d"
git config kvmx86.coverTemplate "$T/tpl.d"
run_kvmx86 prep --cover --offline
expect_fatal
expect_message "cannot use the cover template (kvmx86.coverTemplate): '$T/tpl.d' is a directory, not a file"
git config kvmx86.coverTemplate /dev/zero
timeout 20 "$KVMX86" prep --cover --offline >"$OUT" 2>"$ERR" && RC=0 || RC=$?
expect_fatal
expect_message "'/dev/zero' is not a regular file"
head -c 2000000 /dev/zero | tr '\0' 'x' >"$T/big.tpl"
git config kvmx86.coverTemplate "$T/big.tpl"
run_kvmx86 prep --cover --offline
expect_fatal
expect_message "'$T/big.tpl' is too large"
git config --unset kvmx86.coverTemplate

note "a stalling lore: the whole look-up ends within kvmx86.httpTimeout"
fake_lore_start
git config kvmx86.loreUrl "$FAKE_URL/stall-20/all"
git config kvmx86.httpTimeout 3
git config kvmx86.httpRetries 5
start=$(date +%s)
run_kvmx86 prep --cover
took=$(( $(date +%s) - start ))
expect_exit 0
expect_stdout_matches '^v1: EDITME: link to v1 \(lore could not be asked\)'
expect_stderr_contains "the look-up may take 3.0 s in all"
# 3 s, and the process around it; before, 4 requests of 6 attempts of 3 s
[ "$took" -le 10 ] || fail "prep --cover took $took s with kvmx86.httpTimeout 3"
