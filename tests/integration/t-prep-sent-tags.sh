#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# b4's sent tags made by hand as b4 0.12 makes them (annotated
# sent/<name>-vN on a copy of the series, "base-commit: <40hex>" in the
# message; name = branch without "b4/"): imported by --enroll as sent
# entries (tag, tip, base from the message), shown as series-vN, used by
# --compare-to (git range-diff, argv, no shell).  Real b4 tags:
# t-prep-compare-to.sh, t-prep-b4-desc.sh.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

# change_tip: amends the tip commit with one more line in the selftest.
change_tip() {
	echo "/* changed after v1 */" >>tools/testing/selftests/kvm/x86_64/foo_test.c
	git add -A
	git commit -q --amend --no-edit
}

note "b4/handmade (b4 branch-description state by hand, v1 sent): tag sent/handmade-v1"
b=b4/handmade
git checkout -q --no-track -b "$b" x86/vmx/good-series
copy=$(make_sent_tag handmade 1 "$next" HEAD)
[ "$(git rev-parse "refs/tags/sent/handmade-v1^{commit}")" = "$copy" ] || fail "make_sent_tag failed"
[ "$copy" != "$(sha HEAD)" ] || fail "the copy is the branch itself"
change_id=$(b4_desc_state "$b" 2 1)
change_tip
tip=$(sha HEAD)
run_kvmx86 prep --enroll
expect_exit 0
read_state "$b"
expect_json .imported_from b4
expect_json .change_id "$change_id"
expect_json .revision 2
expect_json '.sent | length' 1
expect_json '.sent[0].revision' 1
expect_json '.sent[0].tag' sent/handmade-v1
expect_json '.sent[0].tip' "$copy"
expect_json '.sent[0].base' "$next"
expect_json '.sent[0].cover_msgid' "$(b4_msgid "$b" 1)"
run_kvmx86 prep --show-info
expect_exit 0
v1=$(info_value series-v1)
set -- $v1
[ $# = 2 ] || fail "series-v1 is not '<base>..<tip> <msgid>': '$v1'"
[ "$(git rev-parse "${1%%..*}")" = "$next" ] || fail "series-v1 base: '$v1'"
[ "$(git rev-parse "${1#*..}^{commit}")" = "$copy" ] || fail "series-v1 tip: '$v1'"

run_kvmx86 prep --compare-to v1
expect_exit 0
git range-diff "$next..$copy" "$next..$tip" >"$T/want" 2>&1
cmp -s "$OUT" "$T/want" || {
	diff -u "$T/want" "$OUT" >&2 || true
	fail "--compare-to v1 is not git range-diff $next..$copy $next..$tip (diff above)"
}

note "a branch name with shell characters: range-diff runs without a shell"
hb="x86/vmx/it's\$(touch\${IFS}pwned)"
git checkout -q --no-track -b "$hb" x86/vmx/good-series
hcopy=$(make_sent_tag "$hb" 1 "$next" HEAD)
b4_desc_state "$hb" 2 1 >/dev/null
change_tip
htip=$(sha HEAD)
# (check-base refuses names unsafe to paste into a shell: --base)
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
read_state "$hb"
expect_json '.sent[0].tag' "sent/$hb-v1"
expect_json '.sent[0].tip' "$hcopy"
run_kvmx86 prep --compare-to v1
expect_exit 0
git range-diff "$next..$hcopy" "$next..$htip" >"$T/want2" 2>&1
cmp -s "$OUT" "$T/want2" || {
	diff -u "$T/want2" "$OUT" >&2 || true
	fail "--compare-to v1 is not git range-diff $next..$hcopy $next..$htip (diff above)"
}
[ ! -e pwned ] && [ ! -e "$T/pwned" ] || fail "a shell ran the branch name"

note "a base-commit that is not 40 hex is not trusted"
git checkout -q --no-track -b x86/vmx/short-base x86/vmx/good-series
git tag -a -F - sent/x86/vmx/short-base-v1 HEAD <<EOF
KVM: VMX: Short base

---
base-commit: $(git rev-parse --short "$next")
change-id: 20230101-short-base-0123456789ab

Best regards,
EOF
b4_desc_state x86/vmx/short-base 2 1 >/dev/null
run_kvmx86 prep --enroll
expect_exit 0
read_state x86/vmx/short-base
expect_json '.sent[0].tag' sent/x86/vmx/short-base-v1
expect_json_true '.sent[0].base == null or .sent[0].base == "'"$next"'"' \
	"a short base-commit is dropped or resolved to the full id"

note "a plain git branch (no b4 tracking) with a sent tag: imported too"
p=x86/vmx/plain-sent
git checkout -q --no-track -b "$p" x86/vmx/good-series
pcopy=$(make_sent_tag "$p" 1 "$next" HEAD)
change_tip
ptip=$(sha HEAD)
run_kvmx86 prep --enroll
expect_exit 0
read_state "$p"
expect_json '.sent | length' 1
expect_json '.sent[0].revision' 1
expect_json '.sent[0].tag' "sent/$p-v1"
expect_json '.sent[0].tip' "$pcopy"
expect_json '.sent[0].base' "$next"
run_kvmx86 prep --compare-to v1
expect_exit 0
git range-diff "$next..$pcopy" "$next..$ptip" >"$T/want3" 2>&1
cmp -s "$OUT" "$T/want3" || fail "--compare-to v1 of a plain branch"
# the plain branch's tags carry the change-id of the series they were of
read_state "$p"
expect_json .change_id "20230101-$p-0123456789ab"
expect_json .revision 2

note "a tag of another series (another change-id) is not this series' history"
x=x86/vmx/other-id
git checkout -q --no-track -b "$x" x86/vmx/good-series
make_sent_tag "$x" 1 "$next" HEAD >/dev/null
cid=$(b4_desc_state "$x" 1)
[ "$cid" != "20230101-$x-0123456789ab" ] || fail "the tag and b4 share the change-id"
run_kvmx86 prep --enroll
expect_exit 0
read_state "$x"
expect_json .change_id "$cid"
expect_json '.sent | length' 0
expect_json .revision 1

note "b4/<name>'s tags are not <name>'s, though b4 names them alike"
git checkout -q --no-track -b b4/twin x86/vmx/good-series
make_sent_tag twin 1 "$next" HEAD >/dev/null
git checkout -q --no-track -b twin x86/vmx/good-series
run_kvmx86 prep --enroll
expect_exit 0
expect_stdout_contains "the sent/twin-v* tags are b4/twin's: not imported"
read_state twin
expect_json '.sent | length' 0
expect_json .revision 1
run_kvmx86 prep --cleanup --force twin
git rev-parse -q --verify refs/tags/sent/twin-v1 >/dev/null ||
	fail "--cleanup of twin removed b4/twin's tag"
