#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kx_lore_find_versions() against a real public-inbox: by change-id, by
# subject and author (another author's similar series is not matched),
# both together (v1 predates the change-id), replies and the current
# revision left out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

need_public_inbox
lore_init
TESS="Tess Ting <tess@example.com>"
OSCAR="Oscar Other <oscar@example.org>"
CID=20230101-frob-0123456789ab
MIX=20230301-mix-abcdef012345

# frob: v1 and v2 carry the change-id; v2 was reworded
lore_post_series frob "$TESS" 1 2 "KVM: x86: Frob the widget" "$CID"
lore_post_series frob "$TESS" 2 2 "KVM: x86: Frob the widget better" "$CID"
# Tess's own reply with the change-id unquoted is still a reply
printf 'Oops, forgot:\nchange-id: %s\n' "$CID" |
	lore_message frob.reply@example.com "$TESS" \
		"Re: [PATCH v2 0/2] KVM: x86: Frob the widget better" \
		"Fri, 10 Feb 2023 10:00:00 +0000" \
		"$(lore_msgid frob 2 0 example.com)" | lore_deliver

# zap: no change-id; v1 a single patch; Oscar sent a look-alike
lore_post_series zap "$TESS" 1 1 "KVM: x86: Zap the cache"
lore_post_series zap "$TESS" 2 2 "KVM: x86: Zap the cache"
lore_post_series ozap "$OSCAR" 2 2 "KVM: x86: Zap the cache"
lore_post_series ozap "$OSCAR" 3 1 "KVM: x86: Zap the cache"

# mix: v1 before b4, v2 with the change-id
lore_post_series mix "$TESS" 1 2 "KVM: x86: Mix it"
lore_post_series mix "$TESS" 2 2 "KVM: x86: Mix it" "$MIX"
lore_start

# By change-id alone, for v3: v1 and v2 (the reworded one too)
lore_probe versions "$LORE_URL" tess@example.com 3 --change-id "$CID"
expect_exit 0 "by change-id"
expect_stdout_is "v1 cover frob.v1.0@example.com 2023-01-01T10:00:00Z change-id [PATCH 0/2] KVM: x86: Frob the widget
v2 cover frob.v2.0@example.com 2023-01-02T10:00:00Z change-id [PATCH v2 0/2] KVM: x86: Frob the widget better"
[ ! -s "$ERR" ] || fail "warnings: $(cat "$ERR")"

# For v2: v1, and a warning that v2 is out already
lore_probe versions "$LORE_URL" tess@example.com 2 --change-id "$CID"
expect_exit 0 "by change-id, v2"
expect_stdout_is "v1 cover frob.v1.0@example.com 2023-01-01T10:00:00Z change-id [PATCH 0/2] KVM: x86: Frob the widget"
expect_stderr_contains "warning: v2 was posted already (cover letter <frob.v2.0@example.com>, 2023-01-02T10:00:00Z): is v2 the right revision?"

# By subject and author: Tess's v1 (a single patch) and v2, not Oscar's
lore_probe versions "$LORE_URL" Tess@Example.com 3 \
	--subject "KVM: x86: Zap the cache"
expect_exit 0 "by subject"
expect_stdout_is "v1 single zap.v1.1@example.com 2023-01-01T10:00:00Z subject [PATCH] KVM: x86: Zap the cache
v2 cover zap.v2.0@example.com 2023-01-02T10:00:00Z subject [PATCH v2 0/2] KVM: x86: Zap the cache"
expect_stdout_lacks "example.org"

# Oscar's, for his v4
lore_probe versions "$LORE_URL" oscar@example.org 4 \
	--subject "KVM: x86: Zap the cache"
expect_exit 0 "Oscar's"
expect_stdout_is "v2 cover ozap.v2.0@example.org 2023-01-02T10:00:00Z subject [PATCH v2 0/2] KVM: x86: Zap the cache
v3 single ozap.v3.1@example.org 2023-01-03T10:00:00Z subject [PATCH v3] KVM: x86: Zap the cache"

# Both: the change-id finds v2, the subject fills in v1
lore_probe versions "$LORE_URL" tess@example.com 3 --change-id "$MIX" \
	--subject "KVM: x86: Mix it"
expect_exit 0 "both"
expect_stdout_is "v1 cover mix.v1.0@example.com 2023-01-01T10:00:00Z subject [PATCH 0/2] KVM: x86: Mix it
v2 cover mix.v2.0@example.com 2023-01-02T10:00:00Z change-id [PATCH v2 0/2] KVM: x86: Mix it"

# Nothing posted yet: no versions, no warnings, no error
lore_probe versions "$LORE_URL" tess@example.com 2 \
	--change-id 20230401-none-000000000000 --subject "KVM: x86: Never sent"
expect_exit 0 "nothing"
expect_stdout_empty
[ ! -s "$ERR" ] || fail "warnings: $(cat "$ERR")"

# Bad input is an error before any request
lore_probe versions "$LORE_URL" tess@example.com 2
expect_exit 1
expect_stderr_contains "neither a change-id nor a subject"
lore_probe versions "$LORE_URL" tess@example.com 2 \
	--change-id 'x" OR "y'
expect_exit 1
expect_stderr_contains "cannot be searched for"
