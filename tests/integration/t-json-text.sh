#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --json carries text that is not UTF-8 (a file name, a command word, a
# quote cut inside a character) with U+FFFD for the bad bytes: the key,
# the entry or the object is never left out (jansson refuses such a string).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

# one_document: stdout is exactly one JSON document.
one_document() {
	[ "$(jq -s length <"$OUT" 2>/dev/null)" = 1 ] ||
		fail "${1:-stdout}: not exactly one JSON document"
}

git checkout -q -b x86/misc/latin1 refs/remotes/kvm-x86/next
name=$'arch/x86/kvm/caf\xe9.c'
echo 'int x;' >"$name"
git add -f -- "$name"
git commit -q -m "KVM: x86: Add a file" -m "Signed-off-by: Tess Ting <tess@example.com>"

note "prep --suggest-topic --json: a file name that is not UTF-8 is in the reason"
run_kvmx86 prep --suggest-topic --json
expect_exit 0
one_document suggest-topic
expect_json .prefix "KVM: x86:"
expect_json .reason $'arch/x86/kvm/caf\xef\xbf\xbd.c -> x86'

note "prep --check --json: a finding quoting a cover letter cut inside a character"
run_kvmx86 prep --enroll
expect_exit 0
{
	echo "KVM: x86: Add a file"
	echo
	printf 'This is sent in reply to v1 %s\n' "$(printf 'é%.0s' $(seq 60))"
	echo
	echo "It adds a file."
} >"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"
GIT_EDITOR="$T/editor" run_kvmx86 prep --edit-cover
expect_exit 0
run_kvmx86 prep --check --json
one_document check
expect_json_true '(.findings | length) == (.summary | add)' \
	"every finding the summary counts is listed"
expect_json_true 'any(.findings[]; .rule == "link-not-in-reply-to" and
	(.message | contains("\u00e9...")) and (.message | contains("\ufffd") | not))' \
	"the cut quote is there, cut between two characters"

note "test --json: a repository path that is not UTF-8 is in each log path"
mv "$PWD" "$T/"$'caf\xe9'
cd "$T/"$'caf\xe9'
run_kvmx86 test --json -- true
expect_exit 0
one_document test
expect_json '.results | length' 1
expect_json_true '.results[0].log | contains("caf\ufffd")' "the log path is there"

note "test: a command word that is not UTF-8 is refused up front, not at the first result"
run_kvmx86 test --json -- true $'caf\xe9'
expect_usage_error
expect_stderr_contains "command word 'caf<E9>' is not UTF-8"
run_kvmx86 test --selftests $'make caf\xe9' -- true
expect_usage_error
git config kvmx86.buildCommand $'make caf\xe9'
run_kvmx86 test
expect_fatal
expect_stderr_contains "kvmx86.buildCommand"
expect_stderr_lacks "forget"
git config --unset kvmx86.buildCommand

note "--json: a C1 control (U+009B, CSI) or DEL of a subject is escaped"
cd "$T/"$'caf\xe9'
git checkout -q -b x86/misc/csi refs/remotes/kvm-x86/next
echo 'int y;' >>arch/x86/kvm/x86.c
git commit -q -am "$(printf 'KVM: x86: Clear \xc2\x9b2J the \x7fscreen')" \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
for args in "check-base --json" "prep --check --json" "test --json -- true"; do
	# shellcheck disable=SC2086
	run_kvmx86 $args
	one_document "$args"
	! grep -q $'\xc2\x9b' "$OUT" || fail "$args: a raw U+009B on stdout"
	! grep -q $'\x7f' "$OUT" || fail "$args: a raw DEL on stdout"
	grep -qF 'Clear \u009b2J the \u007fscreen' "$OUT" ||
		fail "$args: the subject is not written with \\u009b and \\u007f"
done
run_kvmx86 check-base --json
expect_json '.commits[0].subject' "$(git log -1 --format=%s)"
