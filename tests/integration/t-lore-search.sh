#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What kvmx86 relies on in a real public-inbox (lib-lore.sh's, indexed
# with -L full like lore): the nq:, s: and f: prefixes with phrases, the
# Atom feed by GET, the gzipped mbox by POST, 404 for no match, and
# Message-IDs with '/' escaped as %2F.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

need_public_inbox
lore_init
CID=20230101-frob-0123456789ab
lore_message frob.v1.0@example.com "Tess Ting <tess@example.com>" \
	"[PATCH 0/2] KVM: x86: Frob the widget" \
	"Mon, 02 Jan 2023 10:00:00 +0000" <<EOF | lore_deliver
Cover.
From the start of a line.

---
change-id: $CID
EOF
lore_message re.1@example.net "Rev Iewer <rev@example.net>" \
	"Re: [PATCH 0/2] KVM: x86: Frob the widget" \
	"Tue, 03 Jan 2023 10:00:00 +0000" frob.v1.0@example.com <<EOF | lore_deliver
> change-id: $CID

Quoted only.
EOF
lore_message 'Y/V1/slash@example.com' "Oscar Other <oscar@example.org>" \
	"[PATCH] KVM: x86: Frob the widget harder" \
	"Wed, 04 Jan 2023 10:00:00 +0000" <<EOF | lore_deliver
Someone else's.
EOF
lore_start

q() {
	/usr/bin/python3 -c 'import sys, urllib.parse
print(urllib.parse.quote_plus(sys.argv[1]))' "$1"
}

# atom_ids QUERY: the Message-IDs the Atom feed (GET x=A) lists, sorted.
atom_ids() {
	lore_probe --body get "$LORE_URL/?x=A&q=$(q "$1")"
	if [ "$RC" = 2 ]; then
		return 0
	fi
	expect_exit 0 "x=A '$1'"
	grep -o 'href="[^"]*/all/[^"?]*/"' "$OUT" |
		sed -e 's,.*/all/,,' -e 's,/"$,,' | sort -u | tr '\n' ' '
}

expect_ids() {
	local got
	got=$(atom_ids "$1")
	[ "$got" = "$2" ] || fail "query '$1': expected '$2', got '$got'"
}

# nq: finds the change-id line, not the quoted one in the reply
expect_ids "nq:\"change-id: $CID\"" "frob.v1.0@example.com "
expect_ids "nq:\"change-id:$CID\"" "frob.v1.0@example.com "
# b: finds both
expect_ids "b:\"change-id: $CID\"" "frob.v1.0@example.com re.1@example.net "
# s: phrases match within the subject (replies and longer ones too)
expect_ids 's:"KVM: x86: Frob the widget"' \
	"Y%2FV1%2Fslash@example.com frob.v1.0@example.com re.1@example.net "
# f: narrows to an author
expect_ids 's:"KVM: x86: Frob the widget" f:tess@example.com' \
	"frob.v1.0@example.com "
expect_ids 's:"Frob the widget" f:oscar@example.org' \
	"Y%2FV1%2Fslash@example.com "
# no match: 404, which lore-probe reports as "nothing found" (2)
lore_probe get "$LORE_URL/?x=A&q=$(q 's:"no such words"')"
expect_exit 2 "x=A without a match"
expect_stderr_contains "nothing at"

# POST x=m: the matches as a gzipped mboxrd, "From " lines quoted
lore_probe --gunzip --body post \
	"$LORE_URL/?x=m&q=$(q "nq:\"change-id: $CID\"")"
expect_exit 0 "POST x=m"
expect_stdout_contains "Message-ID: <frob.v1.0@example.com>"
expect_stdout_contains ">From the start of a line."
expect_stdout_lacks "re.1@example.net"
lore_probe post "$LORE_URL/?x=m&q=$(q 's:"no such words"')"
expect_exit 2 "POST x=m without a match"
# GET x=m is not an mbox (public-inbox wants a POST)
lore_probe --body get "$LORE_URL/?x=m&q=$(q 's:Frob')"
expect_exit 0
expect_stdout_lacks "Message-ID:"

# a Message-ID with '/' is found with it escaped as %2F
lore_probe --body get "$LORE_URL/Y%2FV1%2Fslash@example.com/raw"
expect_exit 0 "raw message"
expect_stdout_contains "Message-ID: <Y/V1/slash@example.com>"
