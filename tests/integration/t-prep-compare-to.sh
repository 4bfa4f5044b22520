#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --compare-to vN: git range-diff between an imported b4 sent/ tag
# (<base_N>..<tip_N>, the base from the tag's "base-commit:" line) and the
# series; a real b4 series (b4 prep -n, b4 send to a local sendmail
# stand-in: sent/<name>-v1, name without "b4/"); unknown version -> 128.
# Tags made by hand: t-prep-sent-tags.sh.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
need_b4
next=$(sha refs/remotes/kvm-x86/next)

# change_tip: amends the tip commit with one more line in the selftest.
change_tip() {
	echo "/* changed after v1 */" >>tools/testing/selftests/kvm/x86_64/foo_test.c
	git add -A
	git commit -q --amend --no-edit
}

note "a b4 series: b4 prep -n, cover, b4 send (v1)"
git checkout -q master
b4_run prep -n compare -f kvm-x86/next
[ "$(git symbolic-ref HEAD)" = refs/heads/b4/compare ] || fail "b4 did not make b4/compare"
git cherry-pick "$next..x86/vmx/good-series" >/dev/null
printf '%s\n' "KVM: VMX: Cover for compare" "" "The compare series." >"$T/cover.txt"
EDITOR=$(b4_cover_editor "$T/cover.txt") b4_run prep --edit-cover
b4_run send --no-sign --to kvm@vger.kernel.org
git rev-parse -q --verify refs/tags/sent/compare-v1 >/dev/null || fail "b4 send made no sent/compare-v1"
tag_tip=$(git rev-parse "sent/compare-v1^{commit}")
tag_base=$(git cat-file tag sent/compare-v1 | sed -n 's/^base-commit: //p')
[ "$(git rev-parse "$tag_base")" = "$next" ] || fail "b4's tag base is not next"
cover=$(sha HEAD~3)
git log -1 --format=%B "$cover" | grep -qx -e '--- b4-submit-tracking ---' ||
	fail "no b4 cover commit at HEAD~3"
msgid=$(b4_tracking_json "$cover" | jq -r '.series.history.v1[0]')
change_tip
tip=$(sha HEAD)

run_kvmx86 prep --enroll
expect_exit 0
read_state b4/compare
expect_json .imported_from b4
expect_json .b4_cover_commit "$cover"
expect_json .revision 2
expect_json '.sent | length' 1
expect_json '.sent[0].revision' 1
expect_json '.sent[0].tag' sent/compare-v1
expect_json '.sent[0].tip' "$tag_tip"
expect_json '.sent[0].base' "$next"
expect_json '.sent[0].cover_msgid' "$msgid"
run_kvmx86 prep --show-info series-v1
expect_exit 0
expect_stdout_matches "^series-v1: [0-9a-f]+\\.\\.[0-9a-f]+ <?$(printf '%s' "$msgid" | sed 's/[.]/\\./g')>?\$"

note "--compare-to v1: range-diff of the tag against the series (not the cover commit)"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --compare-to v1
expect_exit 0
git range-diff "$next..$tag_tip" "$cover..$tip" >"$T/want" 2>&1
cmp -s "$OUT" "$T/want" || {
	diff -u "$T/want" "$OUT" >&2 || true
	fail "--compare-to v1 is not git range-diff $next..$tag_tip $cover..$tip (diff above)"
}
grep -cE '^[0-9]+: +[0-9a-f]+ = ' "$OUT" | grep -qx 2 || fail "expected 2 unchanged patches"
grep -cE '^[0-9]+: +[0-9a-f]+ ! ' "$OUT" | grep -qx 1 || fail "expected 1 changed patch"
expect_stdout_lacks "Cover for compare"
expect_refs_unchanged "$T/refs.before" "--compare-to"

note "on a terminal: no pager, and no colour with NO_COLOR"
if command -v script >/dev/null &&
   SHELL=/bin/sh script -qec 'test -t 1' /dev/null </dev/null >/dev/null 2>&1; then
	SHELL=/bin/sh script -qec "$(printf '%q ' env NO_COLOR=1 TERM=xterm \
		GIT_PAGER=false PAGER=false "$KVMX86" prep --compare-to v1)" \
		/dev/null </dev/null >"$T/tty.out" 2>&1 || fail "--compare-to on a terminal failed: $(cat "$T/tty.out")"
	grep -q $'\033' "$T/tty.out" && fail "colour or a pager's escapes with NO_COLOR: $(cat -v "$T/tty.out")"
	grep -qE '^[0-9]+: +[0-9a-f]+ = ' "$T/tty.out" || fail "no range-diff on the terminal: $(cat "$T/tty.out")"
fi

note "REV, from another branch"
git checkout -q master
run_kvmx86 prep --compare-to v1 b4/compare
expect_exit 0
cmp -s "$OUT" "$T/want" || fail "--compare-to v1 REV differs"
git checkout -q b4/compare

note "unknown version: 128; bad value: 129"
run_kvmx86 prep --compare-to v2
expect_fatal
run_kvmx86 prep --compare-to v9
expect_fatal
run_kvmx86 prep --compare-to vx
expect_usage_error
run_kvmx86 prep --compare-to v0
expect_usage_error
run_kvmx86 prep --compare-to
expect_usage_error
