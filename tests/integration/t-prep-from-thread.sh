#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep -n NAME -F MSGID, as b4 prep -F: v1 of a series goes through a
# loopback SMTP server into a public-inbox; a new branch made from its
# thread carries the commits git am makes of the same mails (trees,
# authors, author dates, messages), on the version's base-commit, under
# the topic its shortlog names, with its change-id, its cover letter and
# v2 to prepare; v1 is recorded as sent (tag, lore link), so that
# --trailers, --compare-to and the next cover letter know it.  A thread
# lacking a patch, a base this repository lacks, a mail without a diff
# and an unknown Message-ID make nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"
. "$(dirname "$0")/lib-smtp.sh"

lore_list_repo
next=$NEXT
b=x86/vmx/origin
git checkout -q -b "$b" "$next"
git config "branch.$b.description" "$(printf 'KVM: VMX: Three changes\n\nThree changes to carry over.\n')"
echo "/* one */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -s -am "KVM: VMX: Add one" -m "Add one, and say why."
# another author's patch: an in-body From: carries the author
echo "/* two */" >>arch/x86/kvm/vmx/vmx.c
GIT_AUTHOR_NAME="Zoë Ünïcode" GIT_AUTHOR_EMAIL=zoe@example.org \
	GIT_AUTHOR_DATE="2022-11-30 08:00:00 +0100" \
	git commit -q -s -am "KVM: VMX: Add two" -m "Add two."
# a rename and a new file
git mv arch/x86/kvm/vmx/nested.c arch/x86/kvm/vmx/nested-moved.c
echo "/* three */" >arch/x86/kvm/vmx/three.h
git add arch/x86/kvm/vmx/three.h
git commit -q -s -m "KVM: VMX: Add three" -m "Move a file and add a header."
# a binary file, a mode change and a deletion
printf '\000\001\002\377' >arch/x86/kvm/vmx/blob.bin
chmod +x arch/x86/kvm/vmx/nested-moved.c
git rm -q arch/x86/kvm/vmx/three.h
git add arch/x86/kvm/vmx/blob.bin arch/x86/kvm/vmx/nested-moved.c
git commit -q -s -m "KVM: VMX: Add four" -m "Add a blob, make a file executable, drop the header."
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
run_kvmx86 prep --show-info change-id
cid=$(info_value change-id)
[ -n "$cid" ] || fail "no change-id"

note "v1 goes out and reaches the inbox"
run_kvmx86 send --to "$LORE_ADDRESS" --force
expect_exit 0
msgid() { sed -n 's/^Message-I[Dd]: <\(.*\)>\r\?$/\1/p' "$SMTP_DIR/mail-00$1.eml" | head -1; }
cover=$(msgid 1) p1=$(msgid 2)
[ -n "$cover" ] && [ -n "$(msgid 5)" ] || fail "the server did not take 5 mails"

note "what git am makes of the same mails, for comparison"
git worktree add -q --detach "$T/am" "$next"
for i in 2 3 4 5; do
	echo "From mboxrd@z Thu Jan  1 00:00:00 1970"
	tr -d '\r' <"$SMTP_DIR/mail-00$i.eml"
	echo
done >"$T/v1.mbox"
git -C "$T/am" am -q "$T/v1.mbox" || fail "git am of the mails failed"
facts() { git log --reverse --format='%T %an <%ae> %ad%n%B' --date=raw "$next..$1"; }
facts "$(git -C "$T/am" rev-parse HEAD)" >"$T/am.facts"

note "-F goes with -n or alone"
run_kvmx86 prep --enroll -F "$cover"
expect_exit 129
expect_stderr_contains "-F does not go with --enroll"

note "a branch from the thread, by its lore link"
git checkout -q "$next"
run_kvmx86 prep -n again -F "$LORE_URL/$cover/"
expect_exit 0
a=x86/vmx/again
expect_stdout_contains "created $a on v1's base-commit ($(git rev-parse --short=12 "$next"))"
expect_stdout_contains "4 commits from v1 (change-id $cid); preparing v2"
expect_stderr_contains "v1 of the thread: 4 patches and a cover letter"
[ "$(git symbolic-ref HEAD)" = "refs/heads/$a" ] || fail "$a is not checked out"
facts "$a" >"$T/from.facts"
diff -u "$T/am.facts" "$T/from.facts" >&2 ||
	fail "the commits differ from what git am makes of the mails"
[ "$(git rev-parse "$a^{tree}")" = "$(git rev-parse "$b^{tree}")" ] ||
	fail "the tree differs from the branch sent"
[ "$(git ls-tree "$a" arch/x86/kvm/vmx/nested-moved.c | cut -c1-6)" = 100755 ] ||
	fail "the mode change was lost"
[ "$(git log -1 --format='%an <%ae>' "$a~2")" = "Zoë Ünïcode <zoe@example.org>" ] ||
	fail "the in-body From: was not the author"
[ -z "$(git status --porcelain --untracked-files=no)" ] || fail "the checkout is not clean"

run_kvmx86 prep --show-info
expect_info revision 2
expect_info change-id "$cid"
expect_info cover-subject "KVM: VMX: Three changes"
tag=$(git for-each-ref --format='%(refname)' "refs/tags/sent/$a-v1")
[ -n "$tag" ] && [ "$(git rev-parse "$tag^{commit}")" = "$(sha "$a")" ] ||
	fail "no sent/$a-v1 tag on the tip"

note "the next cover letter links v1, and its notes are begun"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "Three changes to carry over."
expect_stdout_contains "$LORE_URL/$cover/"
expect_stdout_contains "v2:"

note "--compare-to v1: nothing changed"
run_kvmx86 prep --compare-to v1
expect_exit 0

note "a reviewer answers v1; --trailers finds the commit by its patch-id"
printf '%s\n' "Reviewed-by: Rita Reviewer <rita@example.org>" |
	lore_message r1@example.org "Rita Reviewer <rita@example.org>" \
		"Re: [PATCH 1/4] KVM: VMX: Add one" "Tue, 03 Jan 2023 10:00:00 +0000" \
		"$p1" | lore_deliver
run_kvmx86 prep --trailers
expect_exit 0
git log -1 --format=%B "$a~3" | grep -q '^Reviewed-by: Rita Reviewer <rita@example.org>$' ||
	fail "the Reviewed-by did not reach patch 1"

note "-F alone names the branch after the change-id, as b4 does: taken here"
run_kvmx86 prep -F "$cover"
expect_exit 128
expect_stderr_contains "branch $b already exists"
expect_stderr_contains "kvmx86 prep -n <another name> -F"

note "the same name again is refused"
run_kvmx86 prep -n again -F "$cover"
expect_exit 128
expect_stderr_contains "branch $a already exists"

note "an unknown Message-ID"
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n nothing -F nobody@example.org
expect_exit 128
expect_stderr_contains "lore has no thread for <nobody@example.org>"
expect_refs_unchanged "$T/refs.before" "an unknown thread"
expect_no_state x86/misc/nothing

note "a version lacking a patch"
for i in 1 3; do
	printf 'Patch %s.\n' "$i" |
		lore_message "gap.$i@example.org" "Gus Gap <gus@example.org>" \
			"[PATCH $i/3] KVM: x86: Gap $i" "Mon, 02 Jan 2023 10:00:0$i +0000" |
		lore_deliver
done
run_kvmx86 prep -n gap -F gap.1@example.org
expect_exit 128
expect_stderr_contains "no version in the thread is whole: v1 lacks 2/3"
expect_refs_unchanged "$T/refs.before" "a version lacking a patch"

note "a base-commit this repository lacks"
lore_post_series far "Fay Far <fay@example.org>" 1 2 "KVM: x86: Far away" 20230101-far-0123456789ab
run_kvmx86 prep -n far -F "$(lore_msgid far 1 0 example.org)"
expect_exit 128
expect_stderr_contains "v1's base-commit 0123456789ab is not in this repository"
expect_refs_unchanged "$T/refs.before" "a missing base"
expect_no_state x86/misc/far

note "--base given, but the mails carry no diff: nothing made"
run_kvmx86 prep -n far --base "$next" -F "$(lore_msgid far 1 0 example.org)"
expect_exit 128
expect_stderr_contains "patch 1/2 (\"KVM: x86: Far away, part 1\") carries no diff"
expect_refs_unchanged "$T/refs.before" "a mail without a diff"
expect_no_state x86/misc/far

note "a patch that does not apply: nothing made"
git checkout -q -b other "$next"
echo "/* nothing alike */" >arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Rewrite the file"
git checkout -q "$next"
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n moved --base other -F "$cover"
expect_exit 128
expect_stderr_contains "patch 1/4 (\"KVM: VMX: Add one\") does not apply on"
expect_refs_unchanged "$T/refs.before" "a patch that does not apply"
expect_no_state x86/vmx/moved

note "-F alone, once the name is free: x86/vmx/origin again"
git checkout -q "$next"
git branch -q -D "$b"
run_kvmx86 prep --cleanup --force "$b"
expect_exit 0
run_kvmx86 prep -F "$cover"
expect_exit 0
expect_stdout_contains "created $b on v1's base-commit"
facts "$b" | diff -u "$T/am.facts" - >&2 || fail "-F alone made other commits"

note "a single patch, its notes under its ---"
git checkout -q -b x86/vmx/single "$next"
echo "/* single */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -s -am "KVM: VMX: Add a single one" -m "A single change."
git config branch.x86/vmx/single.description "$(printf 'KVM: VMX: Add a single one\n\nNotes for the maintainer.\n')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
n=$(ls "$SMTP_DIR"/mail-*.eml | wc -l)
run_kvmx86 send --to "$LORE_ADDRESS" --force
expect_exit 0
one=$(sed -n 's/^Message-I[Dd]: <\(.*\)>\r\?$/\1/p' \
	"$(printf '%s/mail-%03d.eml' "$SMTP_DIR" $((n + 1)))" | head -1)
git checkout -q "$next"
run_kvmx86 prep -n single-again -F "$one"
expect_exit 0
expect_stderr_contains "v1 of the thread: 1 patch, from"
expect_stdout_contains "1 commit from v1"
[ "$(git rev-parse x86/vmx/single-again^{tree})" = "$(git rev-parse x86/vmx/single^{tree})" ] ||
	fail "the single patch's tree differs"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "Notes for the maintainer."
expect_stdout_contains "$LORE_URL/$one/"
