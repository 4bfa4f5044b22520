#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --enroll of a branch prepared by Debian's b4 with its default "commit"
# cover strategy (b4 prep -e: an empty cover commit at the bottom of the
# series holding the cover and "--- b4-submit-tracking ---" JSON): the cover,
# change-id, revision and prefixes are imported, no commit id changes, and
# the cover commit is part of the series for no command (show-info,
# check-base).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
need_b4
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/b4-commit

note "b4 prep -e, --edit-cover, --set-prefixes, --force-revision"
git checkout -q --no-track -b "$b" x86/vmx/good-series
b4_run prep -e kvm-x86/next
printf '%s\n' "KVM: VMX: Harden DEBUGCTL handling" "" \
	"This series makes KVM validate DEBUGCTL writes." \
	"It comes with a selftest." "" \
	"Signed-off-by: Tess Ting <tess@example.com>" >"$T/cover.txt"
EDITOR=$(b4_cover_editor "$T/cover.txt") b4_run prep --edit-cover
b4_run prep --set-prefixes RFC
b4_run prep --force-revision 2

cover=$(sha HEAD~3)
[ "$(git rev-parse "$cover^")" = "$next" ] || fail "b4 did not put its cover commit on next"
git log -1 --format=%B "$cover" | grep -qx -e '--- b4-submit-tracking ---' ||
	fail "b4's cover commit has no tracking marker"
[ "$(git rev-parse "$cover^{tree}")" = "$(git rev-parse "$next^{tree}")" ] ||
	fail "b4's cover commit is not empty"
b4_tracking_json "$cover" >"$T/tracking.json"
change_id=$(jq -r '.series["change-id"]' "$T/tracking.json")
[ "$(jq -r .series.revision "$T/tracking.json")" = 2 ] || fail "b4 --force-revision 2 failed"
[ "$(jq -r '.series.prefixes | join(" ")' "$T/tracking.json")" = RFC ] ||
	fail "b4 --set-prefixes RFC failed"
tip=$(sha HEAD)
first=$(sha HEAD~2)

note "kvmx86 prep --enroll: no commit id changes"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll of a b4 (commit strategy) branch"
[ -z "$(git status --porcelain)" ] || fail "work tree changed"

note "the state"
read_state "$b"
expect_json .branch "$b"
expect_json .imported_from b4
expect_json .b4_cover_commit "$cover"
expect_json .change_id "$change_id"
expect_json .revision 2
expect_json '.prefixes | join(" ")' RFC
expect_json .cover.subject "KVM: VMX: Harden DEBUGCTL handling"
expect_json_true '.cover.body | contains("This series makes KVM validate DEBUGCTL writes.\nIt comes with a selftest.")' \
	"cover body imported"
expect_json_true '.cover.body | contains("b4-submit-tracking") | not' \
	"cover body stops before b4's tracking marker"
expect_json_true '.cover.body | contains("change-id") | not' \
	"cover body has no tracking JSON"
expect_json_true '[.cover.body | split("\n")[] | select(startswith("#"))] | length == 0' \
	"cover body has no '#' lines"
expect_json .base.commit "$next"
expect_json .base.ref kvm-x86/next
expect_json .base.scope x86
expect_json .last_tip "$tip"
cp "$(state_file "$b")" "$T/state.1"

note "--show-info: the series starts above the cover commit"
run_kvmx86 prep --show-info
expect_exit 0
expect_info branch "$b"
expect_info cover-subject "KVM: VMX: Harden DEBUGCTL handling"
expect_info prefixes RFC
expect_info change-id "$change_id"
expect_info revision 2
expect_info base-commit "$next"
expect_info start-commit "$first"
expect_info end-commit "$tip"
range=$(info_value series-range)
case "$range" in *..*) ;; *) fail "series-range '$range' is not a range" ;; esac
git rev-list --reverse "$range" >"$T/range.commits" || fail "bad series-range '$range'"
git rev-list --reverse "$cover..$tip" | diff -u - "$T/range.commits" ||
	fail "series-range '$range' is not the 3 patches above the cover commit"

note "--show-info --json agrees"
run_kvmx86 prep --show-info --json
expect_exit 0
expect_json '."start-commit"' "$first"
expect_json '."change-id"' "$change_id"

note "check-base skips the cover commit of an enrolled branch"
run_kvmx86 check-base --json
expect_exit 0
expect_json '.commits | length' 3
expect_json_true "[.commits[].id] | index(\"$cover\") | not" "cover commit not in commits"
expect_json .verdict ok
expect_json .base_commit "$next"
run_kvmx86 check-base
expect_exit 0
! grep -qE "^ +$(git rev-parse --short=12 "$cover") " "$OUT" ||
	fail "the cover commit is listed as a patch"
expect_stdout_matches "^series: +$b, 3 commits\$"

note "... also with REV from another branch"
git checkout -q master
run_kvmx86 check-base --json "$b"
expect_exit 0
expect_json '.commits | length' 3
run_kvmx86 prep --show-info start-commit "$b"
expect_exit 0
expect_stdout_is "start-commit: $first"
git checkout -q "$b"

note "enrolling again changes nothing and is not an error"
run_kvmx86 prep --enroll
expect_exit 0
expect_same_file "$(state_file "$b")" "$T/state.1" "second --enroll"
expect_refs_unchanged "$T/refs.before" "second --enroll"

note "kvmx86's actions on it keep every commit id (b4 would rewrite them)"
run_kvmx86 prep --set-prefixes "RFC RESEND"
expect_exit 0
run_kvmx86 prep --force-revision 3
expect_exit 0
printf 'KVM: VMX: Harden DEBUGCTL handling, v3\n\nNew words.\n' >"$T/cover2.txt"
make_editor "$T/editor" "$T/cover2.txt"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
expect_refs_unchanged "$T/refs.before" "set-prefixes/force-revision/edit-cover"
read_state "$b"
expect_json .b4_cover_commit "$cover"
expect_json .revision 3
expect_json .cover.subject "KVM: VMX: Harden DEBUGCTL handling, v3"

note "a git rebase makes the cover commit anew: it is still left out, and followed"
git update-ref refs/remotes/kvm-x86/next \
	"$(git commit-tree -p "$next" -m 'KVM: x86: A newer next' "$next^{tree}")"
newnext=$(sha refs/remotes/kvm-x86/next)
git rebase -q refs/remotes/kvm-x86/next
newcover=$(sha HEAD~3)
[ "$newcover" != "$cover" ] || fail "the rebase kept the cover commit's id"
run_kvmx86 prep --show-info
expect_exit 0
expect_info start-commit "$(sha HEAD~2)"
expect_info base-commit "$newnext"
run_kvmx86 check-base
expect_exit 0
expect_stdout_lacks "b4-submit-tracking"
expect_stdout_lacks "$(short "$newcover")"
run_kvmx86 prep --check --json
expect_json '.commits | length' 3
expect_json '[.findings[] | select(.rule == "empty-commit")] | length' 0

note "--enroll --drop-b4-cover of the enrolled branch drops the cover commit now"
run_kvmx86 prep --enroll --drop-b4-cover --base refs/remotes/kvm-x86/next
expect_fatal "give --drop-b4-cover alone"
oldtip=$(sha HEAD)
run_kvmx86 prep --enroll --drop-b4-cover
expect_exit 0
expect_stdout_contains "dropped b4's cover commit $(short "$newcover")"
[ "$(git rev-parse HEAD~3)" = "$newnext" ] || fail "the cover commit is still in the branch"
[ "$(git rev-parse HEAD^{tree})" = "$(git rev-parse "$oldtip^{tree}")" ] ||
	fail "dropping the cover commit changed the tree"
git rev-parse -q --verify "refs/kvmx86/backup/$b/1" >/dev/null || fail "no backup ref"
read_state "$b"
expect_json .b4_cover_commit null
run_kvmx86 prep --enroll --drop-b4-cover
expect_fatal "has no b4 cover commit to drop"
