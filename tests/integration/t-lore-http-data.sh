#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What lore answers, against lore-server.py: 404 is "nothing found", the
# Atom feed stands in when the POST gets no mbox, invalid XML and an
# invalid mbox are clear errors, and a realistic mbox (encoded headers and
# bodies, replies, another author, the current revision) gives the right
# versions and warnings.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

CID=20230101-frob-0123456789ab
cat >"$T/served.mbox" <<EOF
From mboxrd@z Thu Jan  1 00:00:00 1970
From: =?UTF-8?q?Tess_T=C3=AFng?= <tess@example.com>
Subject: [PATCH] KVM: x86: =?UTF-8?q?Fr=C3=B6b?=
 the widget
Date: Mon, 2 Jan 2023 11:00:00 +0100
Message-ID: <frob/v1@example.com>

The patch.
>From a quoted line.
---
change-id: $CID

From mboxrd@z Thu Jan  1 00:00:00 1970
From: Tess Ting <TESS@example.com>
Subject: [PATCH v2 0/2] KVM: x86: Frob the widget
Date: Mon, 9 Jan 2023 10:00:00 +0000
Message-ID: <frob.v2.0@example.com>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Cover, in quoted-printable: caf=C3=A9 and a long line that is soft=
-broken.

change-id: 20230101-frob-=
0123456789ab

From mboxrd@z Thu Jan  1 00:00:00 1970
From: Rev Iewer <rev@example.net>
Subject: Re: [PATCH v2 0/2] KVM: x86: Frob the widget
Date: Tue, 10 Jan 2023 10:00:00 +0000
Message-ID: <re@example.net>
In-Reply-To: <frob.v2.0@example.com>

> change-id: $CID

From mboxrd@z Thu Jan  1 00:00:00 1970
From: Oscar Other <oscar@example.org>
Subject: [PATCH v2 0/3] KVM: x86: Frob the widget
Date: Tue, 10 Jan 2023 11:00:00 +0000
Message-ID: <oscar@example.org>

change-id: $CID

From mboxrd@z Thu Jan  1 00:00:00 1970
From: Tess Ting <tess@example.com>
Subject: [PATCH v3 1/2] KVM: x86: Frob the widget
Date: Mon, 16 Jan 2023 10:00:00 +0000
Message-ID: <frob.v3.1@example.com>

change-id: $CID

EOF
fake_lore_start "$T/served.mbox"

versions() {
	local mode=$1
	shift
	lore_probe --backoff-ms 50 "$@" versions "$FAKE_URL/$mode/all" \
		tess@example.com 3 --change-id "$CID"
}

# The realistic mbox
versions ok
expect_exit 0 ok
expect_stdout_is "v1 single frob/v1@example.com 2023-01-02T10:00:00Z change-id [PATCH] KVM: x86: Fröb the widget
v2 cover frob.v2.0@example.com 2023-01-09T10:00:00Z change-id [PATCH v2 0/2] KVM: x86: Frob the widget"
expect_stderr_contains "warning: <oscar@example.org> has the change-id but is from oscar@example.org, not tess@example.com: not counted"
expect_stderr_contains "warning: v3 was posted already (first patch <frob.v3.1@example.com>, 2023-01-16T10:00:00Z): is v3 the right revision?"
expect_stderr_lacks "re@example.net"
expect_requests ok 1

# The same through the Atom feed when the POST is refused (405)
versions atomonly
expect_exit 0 atomonly
expect_stdout_is "v1 single frob/v1@example.com 2023-01-02T10:00:00Z change-id [PATCH] KVM: x86: Fröb the widget
v2 cover frob.v2.0@example.com 2023-01-09T10:00:00Z change-id [PATCH v2 0/2] KVM: x86: Frob the widget"
expect_stderr_contains "warning: <oscar@example.org> has the change-id"
expect_requests atomonly 2
grep -q '^GET .*"GET /atomonly/all/?x=A&q=' "$FAKE_DIR/log" ||
	fail "no GET of the Atom feed: $(cat "$FAKE_DIR/log")"

# 404: nothing found is no error, for the look-up and for one request
versions notfound --subject "KVM: x86: Frob the widget"
expect_exit 0 notfound
expect_stdout_empty
[ ! -s "$ERR" ] || fail "unexpected: $(cat "$ERR")"
expect_requests notfound 2
lore_probe get "$FAKE_URL/notfound/all/?x=A&q=x"
expect_exit 2 "404"
expect_stderr_contains "error: nothing at '$FAKE_URL/notfound/all/?x=A&q=x'"

# Invalid XML: the POST got HTML, the feed does not nest
versions badxml
expect_exit 1 badxml
expect_stderr_contains "error: the answer from '$FAKE_URL/badxml/all/?x=m&q=nq%3A%22change-id%3A+$CID%22' is neither gzip nor an mbox (text/html); the Atom feed failed too: invalid Atom feed: a closing tag that does not match at line 3"
expect_faster_than 10000

# An invalid mbox (gzip of HTML), and a feed that is refused
versions badmbox
expect_exit 1 badmbox
expect_stderr_contains "error: the answer from '$FAKE_URL/badmbox/all/?x=m&q=nq%3A%22change-id%3A+$CID%22': not an mbox: the data does not start with a \"From \" line; the Atom feed failed too: '$FAKE_URL/badmbox/all/?x=A&q=nq%3A%22change-id%3A+$CID%22' answered HTTP 403"

# One search failing while the other works is a warning, not an error
lore_probe --backoff-ms 50 --retries 0 versions "$FAKE_URL/failcid/all" \
	tess@example.com 3 --change-id "$CID" \
	--subject "KVM: x86: Frob the widget"
expect_exit 0 "the change-id search fails"
# (lore-server.py answers every query alike: the change-id still shows)
expect_stdout_contains "v2 cover frob.v2.0@example.com"
expect_stderr_contains "warning: a lore search failed: '$FAKE_URL/failcid/all/?x=m&q=nq%3A%22change-id%3A+$CID%22' answered HTTP 503"
expect_requests failcid 2
# ... and both failing is an error that names the first, and warns of both
lore_probe --backoff-ms 50 --retries 0 versions "$FAKE_URL/always503/all" \
	tess@example.com 3 --change-id "$CID" --subject "KVM: x86: Frob"
expect_exit 1 "both searches fail"
expect_stderr_contains "warning: the search by subject failed too: '$FAKE_URL/always503/all/?x=m&q=s%3A%22KVM%3A+x86%3A+Frob%22+f%3Atess%40example.com' answered HTTP 503"
expect_stderr_contains "error: '$FAKE_URL/always503/all/?x=m&q=nq%3A%22change-id%3A+$CID%22' answered HTTP 503"
