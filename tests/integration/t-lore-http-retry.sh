#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# HTTP retries against lore-server.py: 5xx and 429 are retried with
# backoff (Retry-After honoured up to the cap, refused beyond it), stalls
# and cut transfers time out or fail and are retried, a closed port fails
# fast; every failure names the URL and what happened, in bounded time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

fake_lore_start
CID=20230101-frob-0123456789ab
FAST=(--backoff-ms 50 --backoff-max-ms 2000 --timeout-ms 2000)

# versions MODE OPTION...: the look-up against a misbehaving inbox.
versions() {
	local mode=$1
	shift
	lore_probe "$@" versions "$FAKE_URL/$mode/all" tess@example.com 3 \
		--change-id "$CID"
}

expect_found() {
	expect_exit 0 "$1"
	expect_stdout_is "v1 cover frob.v1.0@example.com 2023-01-02T10:00:00Z change-id [PATCH 0/2] KVM: x86: Frob the widget
v2 cover frob.v2.0@example.com 2023-01-09T10:00:00Z change-id [PATCH v2 0/2] KVM: x86: Frob the widget"
}

# Behaving: one request, with kvmx86's User-Agent
versions ok "${FAST[@]}"
expect_found ok
expect_requests ok 1
grep -qF "POST [kvmx86/$KVMX86_VERSION]" "$FAKE_DIR/log" ||
	fail "no POST with User-Agent kvmx86/$KVMX86_VERSION in $(cat "$FAKE_DIR/log")"

# Two 500s, then an answer: found on the third attempt, after 50 + 100 ms
versions fail500-2 "${FAST[@]}" --retries 2
expect_found fail500-2
expect_requests fail500-2 3
expect_slower_than 150 "two backoffs"
expect_faster_than 20000

# More 500s than retries: the status and the attempts are named
versions fail500-9 "${FAST[@]}" --retries 1
expect_exit 1 fail500-9
expect_stderr_contains "error: '$FAKE_URL/fail500-9/all/?x=m&q=nq%3A%22change-id%3A+$CID%22' answered HTTP 500 (2 attempts)"
expect_stderr_contains "hint: the server has trouble: try again later"
expect_requests fail500-9 2

# The backoff doubles: 100 + 200 + 400 ms for three retries
lore_probe --retries 3 --backoff-ms 100 --backoff-max-ms 5000 \
	get "$FAKE_URL/always503/x"
expect_exit 1 always503
expect_stdout_contains "status 503 attempts 4"
expect_stderr_contains "answered HTTP 503 (4 attempts)"
expect_requests always503 4
expect_slower_than 700 "100 + 200 + 400 ms of backoff"
# ... and stops doubling at the cap
lore_probe --retries 3 --backoff-ms 100 --backoff-max-ms 150 \
	get "$FAKE_URL/always503/y"
expect_exit 1
expect_slower_than 400 "100 + 150 + 150 ms"
expect_faster_than 5000

# 429 with "Retry-After: 1": waits the second, not the 50 ms backoff
versions 429-1-1 "${FAST[@]}"
expect_found 429-1-1
expect_requests 429-1-1 2
expect_slower_than 1000 "Retry-After: 1"
# ... a Retry-After over the cap is refused at once, and said so
versions 429-60-5 "${FAST[@]}"
expect_exit 1 429-60-5
expect_stderr_contains "answered HTTP 429 and asks to wait 60 s; kvmx86 waits 2.0 s at most"
expect_stderr_contains "hint: the server is busy: try again later"
expect_requests 429-60-5 1
expect_faster_than 10000

# A stall past the time-out: each attempt gives up after 500 ms
versions stall-30 --timeout-ms 500 --retries 1 --backoff-ms 50
expect_exit 1 stall-30
expect_stderr_contains "'$FAKE_URL/stall-30/all/?x=m&q=nq%3A%22change-id%3A+$CID%22' did not answer within 0.5 s (2 attempts)"
expect_stderr_contains "hint: check the network, or try again later"
expect_requests stall-30 2
expect_faster_than 10000 "two 0.5 s time-outs"

# A body cut short is a broken transfer: retried, then named
lore_probe --retries 1 --backoff-ms 50 post "$FAKE_URL/cut/all/?x=m&q=x"
expect_exit 1 cut
expect_stderr_matches "fetching '.*/cut/all/\?x=m&q=x' failed: transfer closed with [0-9]+ bytes remaining to read \(2 attempts\)"
expect_requests cut 2

# Nobody listening: could not connect, retried, quickly
port=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
lore_probe --retries 2 --backoff-ms 50 get "http://127.0.0.1:$port/all/"
expect_exit 1 "closed port"
expect_stderr_contains "could not connect to 'http://127.0.0.1:$port/all/'"
expect_stderr_contains "(3 attempts)"
expect_faster_than 10000

# A user:password in the URL is never shown
lore_probe --retries 0 get "http://kx:s3cret@127.0.0.1:$port/all/"
expect_exit 1
expect_stderr_contains "'http://127.0.0.1:$port/all/'"
expect_stderr_lacks "s3cret"
