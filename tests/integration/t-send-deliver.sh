#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 send delivers (no --dry-run, -o or --mbox) to a real SMTP server
# on loopback (smtp-server.py, aiosmtpd): a 5-patch series arrives whole,
# byte for byte as recorded in the attempt, threaded to its cover letter;
# then the version is tagged sent/<branch>-v1 as b4 tags it (its message
# the cover with its change-id: line), recorded as sent with its cover's
# Message-ID and link, the revision is bumped with the v2 notes begun, and
# the v2 cover letter links v1; prep --compare-to v1 compares with it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/deliver
five_series "$b"
smtp_start
send_config

note "a whole series: 6 mails, each recipient on the envelope"
run_kvmx86 send
expect_exit 0 "send"
[ "$(smtp_count)" = 6 ] || fail "the server has $(smtp_count) mails, not 6"
expect_stdout_contains "v1 of $b is sent: 6 mails, tagged sent/$b-v1"
cover_id=$(mail_header 1 Message-ID)
[ -n "$cover_id" ] || fail "no Message-ID on the cover letter"
for i in 2 3 4 5 6; do
	[ "$(mail_header $i In-Reply-To)" = "$cover_id" ] ||
		fail "mail $i does not answer the cover letter ($(mail_header $i In-Reply-To))"
	[ "$(mail_header $i References)" = "$cover_id" ] ||
		fail "mail $i's References: is not the cover letter"
done
mail_header 1 Subject | grep -q '^\[PATCH 0/5\] KVM: VMX: Five changes$' ||
	fail "cover subject: $(mail_header 1 Subject)"
mail_header 6 Subject | grep -q '^\[PATCH 5/5\] KVM: VMX: Change thing 5$' ||
	fail "patch 5 subject: $(mail_header 6 Subject)"
grep -qx 'rcpt kvm@vger.kernel.org' "$SMTP_DIR/mail-001.env" ||
	fail "the KVM list is not on the cover's envelope: $(cat "$SMTP_DIR/mail-001.env")"
grep -qx 'from sam@example.com' "$SMTP_DIR/mail-001.env" ||
	fail "the envelope sender is not the From: $(cat "$SMTP_DIR/mail-001.env")"

note "dated when sent, one second apart in the order they went, as git send-email dates them"
prev=
for i in 1 2 3 4 5 6; do
	d=$(date -d "$(mail_header $i Date)" +%s) || fail "mail $i: bad Date: $(mail_header $i Date)"
	[ -z "$prev" ] || [ "$d" = $((prev + 1)) ] ||
		fail "mail $i is dated $d, not one second after mail $((i - 1)) ($prev)"
	prev=$d
done
[ $(( $(date +%s) - prev )) -lt 600 ] || fail "the last mail is dated $prev, not when it was sent"

note "each mail arrived as git am takes it"
git clone -q --no-checkout . "$T/clone"
git -C "$T/clone" -c advice.detachedHead=false checkout -q "$next"
for i in 2 3 4 5 6; do
	sed 's/\r$//' "$(printf '%s/mail-%03d.eml' "$SMTP_DIR" $i)"
done >"$T/patches.mbox"
git -C "$T/clone" -c user.name=A -c user.email=a@example.com am -q "$T/patches.mbox" ||
	fail "git am of the mails received failed"
[ "$(git -C "$T/clone" rev-parse HEAD^{tree})" = "$(git rev-parse HEAD^{tree})" ] ||
	fail "the mails received do not make the series' tree"

note "the state: v1 sent, the attempt gone, v2 begun"
read_state "$b"
expect_json .revision 2
expect_json '.sent | length' 1
expect_json '.sent[0].revision' 1
expect_json '.sent[0].cover_msgid' "$(echo "$cover_id" | tr -d '<>')"
expect_json '.sent[0].tag' "sent/$b-v1"
expect_json '.sent[0].tip' "$(sha HEAD)"
expect_json '.sent[0].base' "$next"
expect_json '.sent[0].msgids | length' 6
expect_json '.sent[0].link' "https://lore.kernel.org/all/$(echo "$cover_id" | tr -d '<>')/"
expect_json '.attempt' null
expect_json_true '.cover.body | test("\nv2:\n - EDITME")' "the v2 notes are begun"
change_id=$(jq -r .change_id "$OUT")

note "the tag: annotated, b4's message (subject, cover, base-commit, change-id), no signature"
[ "$(git cat-file -t "refs/tags/sent/$b-v1")" = tag ] || fail "sent/$b-v1 is not annotated"
[ "$(git rev-parse "sent/$b-v1^{commit}")" = "$(sha HEAD)" ] || fail "the tag is not on the tip"
git tag -l --format='%(contents)' "sent/$b-v1" >"$T/tagmsg"
head -1 "$T/tagmsg" | grep -qx '\[PATCH 0/5\] KVM: VMX: Five changes' ||
	fail "the tag's first line: $(head -1 "$T/tagmsg")"
grep -qx "change-id: $change_id" "$T/tagmsg" ||
	fail "the tag has no change-id: line"
grep -qx "base-commit: $next" "$T/tagmsg" || fail "the tag has no base-commit: line"
! grep -qx -- '-- ' "$T/tagmsg" || fail "the tag keeps the signature"
# b4's own reader of its sent tags (b4 send --resend, b4 prep --compare-to)
if /usr/bin/python3 -c 'import b4.ez' 2>/dev/null; then
	/usr/bin/python3 - "sent/$b-v1" "$next" "$change_id" <<'PY' ||
import sys
import b4.ez
cover, base, change_id = b4.ez.get_base_changeid_from_tag(sys.argv[1])
assert base == sys.argv[2], (base, sys.argv[2])
assert change_id == sys.argv[3], (change_id, sys.argv[3])
subject, body = b4.ez.get_cover_subject_body(cover)
assert subject.subject == 'KVM: VMX: Five changes', subject.subject
assert 'Five changes for the test.' in body, body
PY
		fail "b4 does not read the tag as its own"
else
	note "b4 is not installed: the tag is not read with b4's own code"
fi

note "prep --show-info: series-v1 is the base..tip sent and the cover's Message-ID"
run_kvmx86 prep --show-info
expect_exit 0
[ "$(info_value series-v1)" = "$next..$(sha HEAD) $(echo "$cover_id" | tr -d '<>')" ] ||
	fail "series-v1: '$(info_value series-v1)'"
expect_info revision 2

note "the v2 cover letter links v1; prep --compare-to v1 works"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "v1: https://lore.kernel.org/all/$(echo "$cover_id" | tr -d '<>')/"
expect_stdout_contains "v2:"
echo "/* v2 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q --amend -a --no-edit
run_kvmx86 prep --compare-to v1
expect_exit 0
expect_stdout_matches "^5: .* ! 5: "

note "sending again refuses: the v2 notes are EDITME, and v1 is sent"
run_kvmx86 send
expect_exit 1
[ "$(smtp_count)" = 6 ] || fail "a refused send sent mail"

note "a version sent already: the dry run says so, and --json carries the refusal"
run_kvmx86 prep --force-revision 1
expect_exit 0
run_kvmx86 send --dry-run --json
expect_exit 1
expect_json_true '[.refusals[].reason] | any(test("^v1 of .* was sent already$"))' \
	"the dry run's refusal"
run_kvmx86 send --json --force
expect_exit 1
expect_json_true '[.refusals[].reason] | any(test("^v1 of .* was sent already$"))' \
	"the send's refusal, with --force too"
run_kvmx86 send -o "$T/refused" --json
expect_exit 1
expect_json_true '.refusals | length > 0' "the write-out's refusals"
[ ! -e "$T/refused" ] || fail "a refused write-out wrote"
[ "$(smtp_count)" = 6 ] || fail "a refused send sent mail"
run_kvmx86 prep --force-revision 2
expect_exit 0

note "a single patch: one mail, the cover text under its ---, recorded and tagged"
fresh_server
s=x86/vmx/single
git checkout -q -b "$s" "$next"
echo "/* one */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: One change" -m "One change for the test." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
git config "branch.$s.description" "$(printf 'KVM: VMX: One change\n\nOne change.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0 "enrolling $s"
run_kvmx86 send
expect_exit 0 "send, a single patch"
[ "$(smtp_count)" = 1 ] || fail "a single patch went as $(smtp_count) mails"
mail_header 1 Subject | grep -qx '\[PATCH\] KVM: VMX: One change' ||
	fail "the single patch's subject: $(mail_header 1 Subject)"
read_state "$s"
expect_json '.sent[0].cover_msgid' "$(mail_header 1 Message-ID | tr -d '<>')"
expect_json .revision 2
git tag -l --format='%(contents)' "sent/$s-v1" | grep -q '^change-id: ' ||
	fail "the single patch's tag has no change-id: line"
