#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A password in kvmx86.loreUrl (http://alice:S3cr3tPW@host/all): it reaches
# no output, no cover letter link, no error and no state file.
. "$(dirname "$0")/lib.sh"

enrolled_series
git config user.name "Tess Ting"
git config user.email tess@example.com
b=x86/vmx/good-series
sf=$(state_file "$b")
# v2, with v1 sent: its cover's message-id makes a link
jq '.revision = 2 | .cover.subject = "KVM: VMX: Harden" |
    .sent = [{"revision": 1, "cover_msgid": "20230101-good-v1-0-abc@example.com"}]' \
	"$sf" >"$T/s.json" && cp "$T/s.json" "$sf"

# nothing listens on this port: the look-up fails at once
git config kvmx86.loreUrl "http://alice:S3cr3tPW@127.0.0.1:9/all"
git config kvmx86.httpRetries 0

expect_no_password() {
	! grep -q -e S3cr3tPW -e 'alice:' "$OUT" "$ERR" "$sf" ||
		fail "$1: the password is shown"
}

note "the cover letter's link to v1"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "v1: http://127.0.0.1:9/all/20230101-good-v1-0-abc@example.com/"
expect_no_password "--cover --offline"

note "kvmx86.loreLinkUrl with a password too"
git config kvmx86.loreLinkUrl "https://bob:Pa55@lore.example.org/r"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "v1: https://lore.example.org/r/20230101-good-v1-0-abc@example.com/"
! grep -q Pa55 "$OUT" "$ERR" || fail "the link password is shown"
git config --unset kvmx86.loreLinkUrl

note "a lore look-up that fails names the server without the password"
jq '.revision = 3' "$sf" >"$T/s.json" && cp "$T/s.json" "$sf"
run_kvmx86 prep --cover
expect_exit 0
expect_stderr_contains "http://127.0.0.1:9/all"
expect_no_password "--cover"

note "prep --link asks lore too"
run_kvmx86 prep --link 20990101-x-v1-1-abc@example.com
expect_no_password "--link"
