#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --trailers, as b4 trailers -u: v1 goes through a loopback SMTP
# server into a public-inbox; reviewers answer there (one under a patch,
# one under the cover letter, one under an answer, one quoting the patch,
# a Nacked-by, the sender's own); v2 changes patch 3.  The trailers land
# at the end of the trailers of the commits that carry the patches as
# sent, nothing quoted or signed is taken, a changed patch gets none, the
# trees stay, the old tip is kept, and a second run changes nothing.
# Once v2 is out, the replies to both are read: a late review of v1 goes
# on a patch v2 left as it was, not on one v2 changed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"
. "$(dirname "$0")/lib-smtp.sh"

lore_list_repo
next=$NEXT
b=x86/vmx/review
git checkout -q -b "$b" "$next"
git config "branch.$b.description" "$(printf 'KVM: VMX: Review me\n\nThree small changes to review.')"
for i in 1 2 3; do
	echo "/* review $i */" >>arch/x86/kvm/vmx/vmx.c
	# patch 2 has an Acked-by of an address that ends as Al's does
	more=()
	[ "$i" != 2 ] || more=(-m "Acked-by: Hal Acker <hal@example.org>")
	git commit -q -s -am "KVM: VMX: Add review $i" -m "Add review $i, so that there is $i of them." \
		"${more[@]}"
done
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

note "nothing sent: no replies to read"
run_kvmx86 prep --trailers
expect_exit 128
expect_stderr_contains "no version of $b was sent"

note "v1 goes out and reaches the inbox"
run_kvmx86 send --to "$LORE_ADDRESS" --force
expect_exit 0
msgid() { sed -n 's/^Message-I[Dd]: <\(.*\)>\r\?$/\1/p' "$SMTP_DIR/mail-00$1.eml" | head -1; }
cover=$(msgid 1) p1=$(msgid 2) p2=$(msgid 3) p3=$(msgid 4)
[ -n "$cover" ] && [ -n "$p3" ] || fail "the server did not take 4 mails"

note "no replies yet"
run_kvmx86 prep --trailers
expect_exit 0
expect_stdout_contains "no trailers in the replies to v1"

note "the reviewers answer"
d="Tue, 03 Jan 2023 10:00:00 +0000"
# the first answer in the archive, so that the commits' trailers come in two rounds
printf '%s\n' "For the series:" "" "Acked-by: Al Acker <al@example.org>" |
	lore_message r2@example.org "Al Acker <al@example.org>" \
		"Re: [PATCH 0/3] KVM: VMX: Review me" "Mon, 02 Jan 2023 10:00:00 +0000" \
		"$cover" | lore_deliver
printf '%s\n' "> Add review 1, so that there is 1 of them." "> " \
	"> Signed-off-by: Tess Ting <tess@example.com>" "" "Looks right." "" \
	"Reviewed-by: Rita Reviewer <rita@example.org>" "" "-- " \
	"Reviewed-by: Sig Nature <sig@example.org>" |
	lore_message r1@example.org "Rita Reviewer <rita@example.org>" \
		"Re: [PATCH 1/3] KVM: VMX: Add review 1" "$d" "$p1" | lore_deliver
printf '%s\n' "> Tested-by: Quoted Person <quoted@example.org>" "" "Does this work?" |
	lore_message r3@example.org "Tina Tester <tina@example.org>" \
		"Re: [PATCH 2/3] KVM: VMX: Add review 2" "$d" "$p2" | lore_deliver
printf '%s\n' "Yes, and:" "" "Reviewed-by: Tess Ting <tess@example.com>" |
	lore_message r4@example.com "Tess Ting <tess@example.com>" \
		"Re: [PATCH 2/3] KVM: VMX: Add review 2" "$d" r3@example.org | lore_deliver
printf '%s\n' "It works here." "" "tested-by:  Tina Tester <tina@example.org> " |
	lore_message r5@example.org "Tina Tester <tina@example.org>" \
		"Re: [PATCH 2/3] KVM: VMX: Add review 2" "$d" r4@example.com | lore_deliver
printf '%s\n' "No, this is wrong." "" "Nacked-by: Ned Nay <ned@example.org>" |
	lore_message r6@example.org "Ned Nay <ned@example.org>" \
		"Re: [PATCH 3/3] KVM: VMX: Add review 3" "$d" "$p3" | lore_deliver

note "v2 changes patch 3"
sed -i 's|/\* review 3 \*/|/* review 3 better */|' arch/x86/kvm/vmx/vmx.c
git commit -q --amend -a --no-edit
before=$(sha "$b")

note "--dry-run says what it would add and changes nothing"
run_kvmx86 prep --trailers --dry-run
expect_exit 0
expect_stdout_contains "+ Reviewed-by: Rita Reviewer <rita@example.org> (<r1@example.org>)"
expect_stdout_contains "+ Tested-by: Tina Tester <tina@example.org> (<r5@example.org>)"
expect_stdout_contains "4 trailers to add (--dry-run: nothing changed)"
# each commit once, oldest first, with all it gets
[ "$(grep -E '^[0-9a-f]{12} ' "$OUT" | cut -d' ' -f2-)" = "$(printf '%s\n' \
	"KVM: VMX: Add review 1" "KVM: VMX: Add review 2")" ] ||
	fail "the commits are not listed once each, in order: $(cat "$OUT")"
[ "$(sha "$b")" = "$before" ] || fail "--dry-run moved $b"

note "--json: the same, for scripts"
run_kvmx86 prep --trailers --dry-run --json
expect_exit 0
expect_json_true '.revision == 1 and .dry_run and .matched_by == "patch-id" and .new_tip == null' \
	"the JSON's version, dry run and matching"
expect_json_true '(.added | length == 4) and ([.added[] | select(.patch == 2 and .trailer == "Tested-by: Tina Tester <tina@example.org>" and .msgid == "r5@example.org")] | length == 1)' \
	"the JSON's added trailers"
expect_json_true '[.skipped[] | select(test("Nacked-by: Ned Nay"))] | length == 1' "the JSON's Nacked-by"
[ "$(sha "$b")" = "$before" ] || fail "--dry-run --json moved $b"

note "the trailers go on"
run_kvmx86 prep --trailers
expect_exit 0
expect_stderr_contains "Nacked-by: Ned Nay <ned@example.org> on a patch of v1 (<r6@example.org>): not added"
expect_stderr_contains "Acked-by: Al Acker <al@example.org> is for patch 3/3 of v1 (\"KVM: VMX: Add review 3\"), which no commit of the series carries unchanged"
after=$(sha "$b")
[ "$after" != "$before" ] || fail "$b did not move"
[ "$(git rev-parse "$after^{tree}")" = "$(git rev-parse "$before^{tree}")" ] ||
	fail "the tree changed"
backup=$(git for-each-ref --format='%(refname)' "refs/kvmx86/backup/$b/")
[ "$(git rev-parse "$backup")" = "$before" ] || fail "the old tip is not kept as a backup ($backup)"
expect_stdout_contains "the old tip is kept as $backup"
trailers() { git log -1 --format=%B "$1" | git interpret-trailers --parse; }
[ "$(trailers "$b~2")" = "$(printf '%s\n' \
	"Signed-off-by: Tess Ting <tess@example.com>" \
	"Acked-by: Al Acker <al@example.org>" \
	"Reviewed-by: Rita Reviewer <rita@example.org>")" ] ||
	fail "patch 1's trailers: $(trailers "$b~2")"
[ "$(trailers "$b~1")" = "$(printf '%s\n' \
	"Acked-by: Hal Acker <hal@example.org>" \
	"Signed-off-by: Tess Ting <tess@example.com>" \
	"Acked-by: Al Acker <al@example.org>" \
	"Tested-by: Tina Tester <tina@example.org>")" ] ||
	fail "patch 2's trailers: $(trailers "$b~1")"
[ "$(trailers "$b")" = "Signed-off-by: Tess Ting <tess@example.com>" ] ||
	fail "patch 3 (changed since v1) got trailers: $(trailers "$b")"
git log --format=%B "$next..$b" | grep -q 'Sig Nature\|Quoted Person\|Ned Nay\|Reviewed-by: Tess' &&
	fail "a signature's, a quoted, a Nacked-by or the sender's own trailer was added"
[ "$(git log -1 --format='%an <%ae> %ad' "$b~2")" = "$(git log -1 --format='%an <%ae> %ad' "$before~2")" ] ||
	fail "patch 1's author or date changed"

note "a second run adds nothing"
run_kvmx86 prep --trailers
expect_exit 0
expect_stdout_contains "no new trailers"
[ "$(sha "$b")" = "$after" ] || fail "a second run moved $b"

note "--dry-run goes with --trailers and --reorder only"
run_kvmx86 prep --dry-run --cleanup
expect_exit 129

note "v2 goes out; a late review of v1 and one of v2 come in"
mails_before=$(ls "$SMTP_DIR"/mail-*.eml | wc -l)
run_kvmx86 send --to "$LORE_ADDRESS" --force
expect_exit 0
v2=$(sed -n 's/^Message-I[Dd]: <\(.*\)>\r\?$/\1/p' \
	"$(printf '%s/mail-%03d.eml' "$SMTP_DIR" $((mails_before + 4)))" | head -1)
[ -n "$v2" ] || fail "v2's patch 3 did not reach the server"
# v1's patch 1 is unchanged in v2: its late review counts; v1's patch 3
# changed: a review of it does not
printf '%s\n' "Tested-by: Late Tester <late@example.org>" |
	lore_message r7@example.org "Late Tester <late@example.org>" \
		"Re: [PATCH 1/3] KVM: VMX: Add review 1" "$d" "$p1" | lore_deliver
printf '%s\n' "Reviewed-by: Old Look <old@example.org>" |
	lore_message r8@example.org "Old Look <old@example.org>" \
		"Re: [PATCH 3/3] KVM: VMX: Add review 3" "$d" "$p3" | lore_deliver
printf '%s\n' "Reviewed-by: Bea Better <bea@example.org>" |
	lore_message r9@example.org "Bea Better <bea@example.org>" \
		"Re: [PATCH v2 3/3] KVM: VMX: Add review 3" "$d" "$v2" | lore_deliver

note "--trailers reads both versions, v1 by patch-id only"
run_kvmx86 prep --trailers --dry-run --json
expect_exit 0
expect_json_true '.revision == 2 and (.earlier | length == 1) and .earlier[0].revision == 1' \
	"the JSON names v1's thread as read"
expect_json_true '.earlier_changed >= 2' "v1's reviews of the changed patch 3 are counted"
run_kvmx86 prep --trailers
expect_exit 0
expect_stdout_contains "v1's thread: "
expect_stdout_contains "v2's thread: "
expect_stdout_contains "from earlier versions' replies are for patches changed since: not added"
git log -1 --format=%B "$b~2" | grep -q '^Tested-by: Late Tester <late@example.org>$' ||
	fail "v1's late Tested-by did not reach the unchanged patch 1"
git log -1 --format=%B "$b" | grep -q '^Reviewed-by: Bea Better <bea@example.org>$' ||
	fail "v2's Reviewed-by did not reach patch 3"
git log -1 --format=%B "$b" | grep -q 'Old Look' &&
	fail "a review of v1's patch 3 went on the changed patch"
run_kvmx86 prep --trailers
expect_exit 0
expect_stdout_contains "no new trailers"
