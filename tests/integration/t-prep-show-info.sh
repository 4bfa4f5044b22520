#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --show-info [KEY] [--json] [REV]: every key in order, one KEY,
# --json with the same keys and values, unknown KEY -> 129.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/good-series
tip=$(mf branch.$b.tip)
first=$(git rev-list --reverse "$next..$tip" | head -n1)
git checkout -q "$b"
git config "branch.$b.description" "$(printf 'KVM: VMX: Show info\n\nBody.')"
run_kvmx86 prep --enroll
expect_exit 0
read_state "$b"
change_id=$(json .change_id)
sf=$(state_file "$b")
cp "$sf" "$T/state.1"

keys=(branch cover-subject prefixes change-id revision base-branch base-scope
	base-commit start-commit end-commit series-range)

note "all keys, in order"
run_kvmx86 prep --show-info
expect_exit 0
sed 's/:.*//' "$OUT" | diff -u <(printf '%s\n' "${keys[@]}") - ||
	fail "keys are not: ${keys[*]}"
grep -qE '^[a-z0-9-]+: ' "$OUT" || fail "lines are not 'key: value'"
expect_info branch "$b"
expect_info cover-subject "KVM: VMX: Show info"
expect_info prefixes ""
expect_info change-id "$change_id"
expect_info revision 1
expect_info base-branch kvm-x86/next
expect_info base-scope x86
expect_info base-commit "$next"
expect_info start-commit "$first"
expect_info end-commit "$tip"
expect_info series-range "$next..$tip"
cp "$OUT" "$T/info.txt"

note "one KEY prints only 'KEY: value'"
for k in "${keys[@]}"; do
	run_kvmx86 prep --show-info "$k"
	expect_exit 0 "--show-info $k"
	grep -E "^$k:( |\$)" "$T/info.txt" >"$T/want"
	cmp -s "$OUT" "$T/want" || fail "--show-info $k is not '$(cat "$T/want")'"
done
run_kvmx86 prep --show-info revision
expect_stdout_is "revision: 1"

note "--json: one object, the same keys and values"
run_kvmx86 prep --show-info --json
expect_exit 0
expect_json_true 'type == "object"' "--json prints an object"
expect_json 'keys | join(" ")' "$(printf '%s\n' "${keys[@]}" | LC_ALL=C sort | paste -sd' ')"
for k in "${keys[@]}"; do
	want=$(sed -n -E "s/^$k:( |\$)//p" "$T/info.txt")
	expect_json ".\"$k\" | if type == \"array\" then join(\" \") else . end" "$want"
done
[ "$(wc -l <"$OUT")" -ge 1 ] || fail "empty --json output"

note "REV, from another branch, and option order"
git checkout -q master
run_kvmx86 prep --show-info "$b"
expect_exit 0
cmp -s "$OUT" "$T/info.txt" || fail "--show-info REV differs from the checked-out output"
run_kvmx86 prep --show-info end-commit "$b"
expect_exit 0
expect_stdout_is "end-commit: $tip"
run_kvmx86 prep --json --show-info "$b"
expect_exit 0
expect_json .branch "$b"
git checkout -q "$b"

note "unknown KEY: 129"
run_kvmx86 prep --show-info no-such-key "$b"
expect_usage_error
run_kvmx86 prep --show-info --json no-such-key "$b"
expect_usage_error

note "--show-info changes nothing"
expect_same_file "$sf" "$T/state.1" "--show-info"

note "prefixes are space-separated; revision follows --force-revision"
run_kvmx86 prep --set-prefixes "RFC,RESEND"
expect_exit 0
run_kvmx86 prep --force-revision 4
expect_exit 0
run_kvmx86 prep --show-info
expect_exit 0
expect_info prefixes "RFC RESEND"
expect_info revision 4

note "sub-directory of the work tree"
cd arch/x86/kvm
run_kvmx86 prep --show-info branch
expect_exit 0
expect_stdout_is "branch: $b"
