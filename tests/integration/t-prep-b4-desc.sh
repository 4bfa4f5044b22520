#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --enroll of a branch prepared by Debian's b4 with the
# "branch-description" cover strategy (cover in branch.<b>.description,
# tracking JSON in branch.<b>.b4-tracking), after a b4 send (to a local
# sendmail stand-in: no network) that made the sent/<branch>-v1 tag and the
# history: cover, change-id, revision, prefixes, sent history and tag are
# imported; no commit id changes.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
need_b4
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/b4-desc
tip=$(mf branch.x86/vmx/good-series.tip)
first=$(git rev-list --reverse "$next..$tip" | head -n1)

note "b4 prep -e (branch-description), --edit-cover, --set-prefixes, send"
git config b4.prep-cover-strategy branch-description
# b4 0.12 wants a local branch as the base when several branches hold it.
git branch --no-track kvm-next kvm-x86/next
git checkout -q --no-track -b "$b" x86/vmx/good-series
b4_run prep -e kvm-next
[ "$(git config "branch.$b.b4-prep-cover-strategy")" = branch-description ] ||
	fail "b4 did not use the branch-description strategy"
printf '%s\n' "KVM: VMX: Validate DEBUGCTL writes" "" \
	"The body of the b4 cover letter." "Second line." "" \
	"Signed-off-by: Tess Ting <tess@example.com>" >"$T/cover.txt"
EDITOR=$(b4_cover_editor "$T/cover.txt") b4_run prep --edit-cover
b4_run prep --set-prefixes RFC
b4_run send --no-sign --to kvm@vger.kernel.org
[ -s "$T/sent.mbox" ] || fail "b4 send did not go through the sendmail stand-in"
git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null ||
	fail "b4 send did not make sent/$b-v1"
git config "branch.$b.b4-tracking" >"$T/tracking.json"
change_id=$(jq -r '.series["change-id"]' "$T/tracking.json")
msgid=$(jq -r '.series.history.v1[0]' "$T/tracking.json")
[ "$(jq -r .series.revision "$T/tracking.json")" = 2 ] || fail "b4 did not reroll to v2"
[ "$msgid" != null ] || fail "b4 recorded no history"
[ "$(sha HEAD)" = "$tip" ] || fail "b4 (branch-description) rewrote the branch"
tag_commit=$(git rev-parse "refs/tags/sent/$b-v1^{commit}")
tag_base=$(git cat-file tag "refs/tags/sent/$b-v1" | sed -n 's/^base-commit: //p')
[ -n "$tag_base" ] || fail "b4's tag has no base-commit line"

note "kvmx86 prep --enroll"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --enroll
expect_exit 0
expect_refs_unchanged "$T/refs.before" "--enroll of a b4 (branch-description) branch"

note "the state"
read_state "$b"
expect_json .branch "$b"
expect_json .imported_from b4
expect_json .b4_cover_commit null
expect_json .change_id "$change_id"
expect_json .revision 2
expect_json '.prefixes | join(" ")' RFC
expect_json .cover.subject "KVM: VMX: Validate DEBUGCTL writes"
expect_json_true '.cover.body | contains("The body of the b4 cover letter.\nSecond line.")' \
	"cover body imported from the branch description"
expect_json_true '.cover.body | startswith("KVM: VMX: Validate") | not' \
	"the subject is not repeated in the body"
expect_json .base.commit "$next"
expect_json .base.scope x86
expect_json .last_tip "$tip"
expect_json '.sent | length' 1
expect_json '.sent[0].revision' 1
expect_json '.sent[0].cover_msgid' "$msgid"
expect_json '.sent[0].tag' "sent/$b-v1"
expect_json '.sent[0].tip' "$tag_commit"
expect_json '.sent[0].base' "$(git rev-parse "$tag_base")"

note "--show-info"
run_kvmx86 prep --show-info
expect_exit 0
expect_info branch "$b"
expect_info cover-subject "KVM: VMX: Validate DEBUGCTL writes"
expect_info prefixes RFC
expect_info change-id "$change_id"
expect_info revision 2
expect_info base-commit "$next"
expect_info start-commit "$first"
expect_info end-commit "$tip"
expect_info series-range "$next..$tip"
v1=$(info_value series-v1)
set -- $v1
[ $# = 2 ] || fail "series-v1 is not '<base>..<tip> <msgid>': '$v1'"
[ "$2" = "$msgid" ] || [ "$2" = "<$msgid>" ] || fail "series-v1 msgid: '$2', expected '$msgid'"
[ "$(git rev-parse "${1%%..*}")" = "$(git rev-parse "$tag_base")" ] ||
	fail "series-v1 base '${1%%..*}' is not the tag's base-commit $tag_base"
[ "$(git rev-parse "${1#*..}^{commit}")" = "$tag_commit" ] ||
	fail "series-v1 tip '${1#*..}' is not sent/$b-v1"
# the keys, in order
sed 's/:.*//' "$OUT" >"$T/keys"
printf '%s\n' branch cover-subject prefixes change-id revision base-branch \
	base-scope base-commit start-commit end-commit series-range series-v1 |
	diff -u - "$T/keys" || fail "--show-info keys are not in the documented order"

note "a b4 prep --force-revision after the import: re-enrolling would change it"
b4_run prep --force-revision 5
run_kvmx86 prep --enroll
expect_fatal
read_state "$b"
expect_json .revision 2
