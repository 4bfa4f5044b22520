#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Text that becomes part of a mail header (prefixes, the cover subject, a
# change-id, message-ids) with a line break or another control character:
# from --set-prefixes, b4's tracking data, the editor and a state file.
# Refused on input, naming the field; nothing changes.
. "$(dirname "$0")/lib.sh"

enrolled_series
b=x86/vmx/good-series
sf=$(state_file "$b")

note "--set-prefixes with a Bcc: line (bad usage: 129)"
snapshot "$T/before"
run_kvmx86 prep --set-prefixes $'RFC\nBcc: attacker@evil.example'
expect_usage_error
expect_message "--set-prefixes: prefix 'RFC^JBcc:' holds a line break"
expect_unchanged "$T/before" "--set-prefixes with a newline"
for bad in $'RFC\r' $'R\033[2JFC' $'RFC\a' $'\x7f'; do
	run_kvmx86 prep --set-prefixes "$bad"
	expect_usage_error
	expect_message "--set-prefixes: prefix '"
	expect_clean_bytes
done
expect_unchanged "$T/before" "--set-prefixes with control characters"

note "a cover subject with a control character from the editor: kept, refused"
printf 'KVM: x86: Clear \033]52;c;Zm9v\007 the screen\n\nBody.\n' >"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"
snapshot "$T/before"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_fatal
expect_message "the subject of the cover letter 'KVM: x86: Clear ^[]52;c;Zm9v^G the screen' holds a control character"
expect_stderr_contains "your text is kept in"
expect_clean_bytes
ed_file="$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/cover/x86%2Fvmx%2Fgood-series.EDITMSG"
cmp -s "$ed_file" "$T/cover.txt" || fail "the edited text was not kept"
rm -f "$ed_file"
rmdir "$(dirname "$ed_file")"
expect_unchanged "$T/before" "--edit-cover with an escape"

note "b4's tracking data with a newline in a prefix: --enroll refused"
next=$(sha refs/remotes/kvm-x86/next)
git checkout -q -b b4/evil "$next"
echo "/* evil */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Evil"
git config branch.b4/evil.b4-tracking \
	'{"series": {"revision": 2, "change-id": "20230101-evil-0123456789ab", "prefixes": ["RFC\nBcc: attacker@evil.example"], "history": {}}}'
snapshot "$T/before"
run_kvmx86 prep --enroll --base "$next"
expect_fatal
expect_message "b4's tracking data of b4/evil: prefixes[0] 'RFC^JBcc: attacker@evil.example' holds a line break"
expect_no_state b4/evil
expect_unchanged "$T/before" "--enroll of bad tracking data"

note "b4's change-id with an escape, a message-id with CRLF"
git config branch.b4/evil.b4-tracking \
	'{"series": {"revision": 2, "change-id": "x\u001b]0;pwned\u0007", "history": {}}}'
run_kvmx86 prep --enroll --base "$next"
expect_fatal
expect_message "change-id 'x^[]0;pwned^G' holds a control character"
expect_clean_bytes
git config branch.b4/evil.b4-tracking \
	'{"series": {"revision": 2, "history": {"v1": ["a@b\r\nBcc: x@y"]}}}'
run_kvmx86 prep --enroll --base "$next"
expect_fatal
expect_message "history.v1[0] 'a@b^M^JBcc: x@y' holds a line break"
expect_no_state b4/evil
expect_unchanged "$T/before" "--enroll of bad tracking data"

note "a state file with a Bcc: line in a prefix is refused on load, named"
git checkout -q "$b"
jq '.prefixes = ["RFC\nBcc: attacker@evil.example"]' "$sf" >"$T/evil.json"
cp "$T/evil.json" "$sf"
snapshot "$T/before"
for cmd in "prep --cover --offline" "prep --show-info" "prep --set-prefixes RFC"; do
	run_kvmx86 $cmd
	expect_fatal
	expect_message "prefixes[0] 'RFC^JBcc: attacker@evil.example' holds a line break"
	expect_stdout_lacks "Bcc:"
done
expect_unchanged "$T/before" "a state with a bad prefix"
