#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The mailing-list loop on one machine: kvmx86 send delivers v1 to a
# loopback SMTP server (smtp-server.py) that hands each mail it takes to
# public-inbox-mda, as vger hands mail to lore; `b4 am <cover
# Message-ID>` against that public-inbox (b4.midmask pointed at it)
# applies the series; v2 then links v1 in its cover letter at the URL
# public-inbox serves, and `prep --compare-to v1` shows the range-diff.
# Debian's b4 0.12 fails on folded Subject: headers under python 3.11:
# the subjects here are short enough not to fold.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"
. "$(dirname "$0")/lib-smtp.sh"

command -v b4 >/dev/null 2>&1 || skip "b4 is not installed (Debian: b4)"

# the list: each mail the server takes goes into the inbox
lore_list_repo
git config b4.midmask "$LORE_URL/%s"
git config b4.linkmask "$LORE_URL/%s"
next=$NEXT
b=x86/vmx/loop
git checkout -q -b "$b" "$next"
git config "branch.$b.description" "$(printf 'KVM: VMX: Loop the loop\n\nThree small changes, sent and fetched back.')"
for i in 1 2 3; do
	echo "/* loop $i */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -s -am "KVM: VMX: Add loop $i" -m "Add loop $i, so that the loop has $i parts."
done
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

note "v1 goes out through SMTP and reaches the inbox"
# the archive takes what is addressed to the list, as lore does
run_kvmx86 send --to "$LORE_ADDRESS" --force
expect_exit 0
[ "$(ls "$SMTP_DIR"/mail-*.eml | wc -l)" = 4 ] || fail "the server did not take 4 mails"
cover=$(sed -n 's/^Message-I[Dd]: <\(.*\)>\r\?$/\1/p' "$SMTP_DIR/mail-001.eml" | head -1)
[ -n "$cover" ] || fail "no Message-ID in the first mail"
grep -q '^Subject: \[PATCH 0/3\] KVM: VMX: Loop the loop' "$SMTP_DIR/mail-001.eml" ||
	fail "the first mail is not the cover letter"
git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null || fail "no sent/$b-v1 tag"

note "b4 am of the cover's Message-ID, from the inbox, applies the series"
rm -rf "$T/am"
mkdir -p "$T/am"
(b4 am -o "$T/am" "$cover" >"$T/b4.out" 2>&1) ||
	{ cat "$T/b4.out" "$SMTP_DIR/log" >&2; fail "b4 am failed"; }
mbx=$(ls "$T"/am/*.mbx | head -1)
[ -n "$mbx" ] || { cat "$T/b4.out" >&2; fail "b4 am wrote no mbox"; }
git clone -q --no-checkout . "$T/clone"
git -C "$T/clone" -c advice.detachedHead=false checkout -q "$next"
git -C "$T/clone" -c user.name=Applier -c user.email=a@example.com am -q "$mbx" ||
	fail "git am of b4's mbox failed"
[ "$(git -C "$T/clone" rev-parse HEAD^{tree})" = "$(git rev-parse "$b^{tree}")" ] ||
	fail "the series fetched back is not the one sent"

note "v2: its cover letter links v1 where public-inbox serves it"
run_kvmx86 prep --show-info revision
expect_stdout_contains "2"
git commit -q --amend -s -m "KVM: VMX: Add loop 3, better" -m "Add loop 3 and say so."
run_kvmx86 prep --cover
expect_exit 0
expect_stdout_contains "Subject: [PATCH v2 0/3] KVM: VMX: Loop the loop"
expect_stdout_contains "v1: $LORE_URL/$cover/"

note "prep --compare-to v1: the range-diff"
run_kvmx86 prep --compare-to v1
expect_exit 0
expect_stdout_contains "KVM: VMX: Add loop 3, better"
