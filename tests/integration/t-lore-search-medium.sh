#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Why lib-lore.sh indexes with -L full: an inbox at -L medium keeps no
# word positions, so single words are found but phrases are not, and the
# searches kvmx86 makes (s:"...", nq:"change-id: ...") find nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

need_public_inbox
lore_init medium
CID=20230101-frob-0123456789ab
printf 'Cover.\n\n---\nchange-id: %s\n' "$CID" |
	lore_message frob.v1.0@example.com "Tess Ting <tess@example.com>" \
		"[PATCH 0/2] KVM: x86: Frob the widget" \
		"Mon, 02 Jan 2023 10:00:00 +0000" | lore_deliver
lore_start

q() {
	/usr/bin/python3 -c 'import sys, urllib.parse
print(urllib.parse.quote_plus(sys.argv[1]))' "$1"
}

# found QUERY / not_found QUERY: what the Atom feed says
found() {
	lore_probe get "$LORE_URL/?x=A&q=$(q "$1")"
	expect_exit 0 "medium: '$1' should match"
}
not_found() {
	lore_probe get "$LORE_URL/?x=A&q=$(q "$1")"
	expect_exit 2 "medium: '$1' should find nothing"
}

found 's:Frob'
found 'f:tess@example.com'
found 's:widget f:tess@example.com'
not_found 's:"Frob the widget"'
not_found "nq:\"change-id: $CID\""
not_found 'nq:change-id'

# What kvmx86 asks finds nothing, without an error
lore_probe versions "$LORE_URL" tess@example.com 2 --change-id "$CID" \
	--subject "KVM: x86: Frob the widget"
expect_exit 0
expect_stdout_empty
