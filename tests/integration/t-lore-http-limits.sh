#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# HTTP limits against lore-server.py: the size cap with and without a
# Content-Length, the inflated-size cap, truncated gzip, redirects
# (followed, POST kept, to another port without the URL's password;
# loops and other protocols, file:// among them, refused), and no URL but
# http(s).  None of these is retried.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

fake_lore_start
CID=20230101-frob-0123456789ab
CAP=(--max-size 1000000 --max-inflated 1000000 --backoff-ms 50)

# A chunked body past the cap: stopped in the write callback
lore_probe "${CAP[@]}" post "$FAKE_URL/big-3000000/all/?x=m&q=x"
expect_exit 1 "chunked, too big"
expect_stderr_contains "error: the answer from '$FAKE_URL/big-3000000/all/?x=m&q=x' is over 1000000 bytes"
expect_stderr_contains "hint: kvmx86 reads no more than that from one request"
expect_requests big-3000000 1
# ... and one with its length: refused on the header
lore_probe "${CAP[@]}" get "$FAKE_URL/biglen-3000000/all/"
expect_exit 1 "with a length, too big"
expect_stderr_contains "is over 1000000 bytes"
expect_requests biglen-3000000 1
# ... under the cap is fine
lore_probe "${CAP[@]}" get "$FAKE_URL/big-900000/all/"
expect_exit 0 "chunked, under the cap"
expect_stdout_contains "status 200 attempts 1 length 900000"

# gzip that inflates past its cap
lore_probe "${CAP[@]}" --gunzip post "$FAKE_URL/bomb-3000000/all/?x=m&q=x"
expect_exit 1 "gzip bomb"
expect_stderr_contains "inflates past 1000000 bytes"
lore_probe "${CAP[@]}" --gunzip post "$FAKE_URL/bomb-900000/all/?x=m&q=x"
expect_exit 0 "gzip under the cap"
expect_stdout_contains "inflated 900000"

# Truncated gzip: a complete HTTP answer, half a gzip file
lore_probe "${CAP[@]}" --gunzip post "$FAKE_URL/truncated/all/?x=m&q=x"
expect_exit 1 truncated
expect_stderr_matches "the gzip data from '.*/truncated/all/\?x=m&q=x' is truncated \([0-9]+ bytes came\)"
# ... and through the look-up (the Atom fallback fails as well)
lore_probe "${CAP[@]}" versions "$FAKE_URL/truncated/all" tess@example.com 3 \
	--change-id "$CID"
expect_exit 1 "truncated, versions"
expect_stderr_contains "is truncated"
expect_stderr_contains "the Atom feed failed too"
# Not gzip at all
lore_probe --gunzip get "$FAKE_URL/ok/all/"
expect_exit 1 "not gzip"
expect_stderr_contains "is not gzip data"

# Redirects: followed, and a POST stays a POST (x=m needs it)
lore_probe "${CAP[@]}" versions "$FAKE_URL/redirect/all" tess@example.com 3 \
	--change-id "$CID"
expect_exit 0 redirect
expect_stdout_contains "v2 cover frob.v2.0@example.com"
expect_requests redirect 1
expect_requests ok 2	# the "not gzip" GET, and this POST
grep -q '^POST .*"POST /ok/all/?x=m' "$FAKE_DIR/log" ||
	fail "the redirected request is not a POST: $(cat "$FAKE_DIR/log")"
# ... but not forever
lore_probe "${CAP[@]}" get "$FAKE_URL/redirloop/all/"
expect_exit 1 "redirect loop"
expect_stderr_contains "error: '$FAKE_URL/redirloop/all/' redirected more than 5 times"
expect_requests redirloop 6
# ... nor to another protocol
lore_probe "${CAP[@]}" get "$FAKE_URL/ftp/all/"
expect_exit 1 "redirect to ftp"
expect_stderr_contains "led to a protocol other than http and https"

# ... nor to a file
lore_probe "${CAP[@]}" get "$FAKE_URL/file/all/"
expect_exit 1 "redirect to file://"
expect_stderr_contains "led to a protocol other than http and https"
expect_stdout_lacks "root:"
# ... and to another port, followed as git and curl follow it, without
# the password of the URL (the other port may be another service)
mkdir -p "$T/other"
/usr/bin/python3 "$LORE_SERVER" "$T/other" >"$T/other/out" 2>&1 </dev/null &
stop_at_exit $!
for _ in $(seq 1 100); do
	[ ! -s "$T/other/port" ] || break
	sleep 0.1
done
[ -s "$T/other/port" ] || fail "the second lore-server.py did not start"
other=$(cat "$T/other/port")
userinfo_url="http://alice:S3cr3tPW@${FAKE_URL#http://}"
lore_probe "${CAP[@]}" get "$userinfo_url/port-$other/all/"
expect_exit 0 "redirect to another port"
grep -q 'GET .*"GET /ok/all/' "$T/other/log" ||
	fail "the other port was not asked: $(cat "$T/other/log" 2>/dev/null)"
grep -q '^GET \[[^]]*\] auth .*/port-' "$FAKE_DIR/log" ||
	fail "the password did not reach the server it was given for"
grep -q ' auth ' "$T/other/log" &&
	fail "the password went on to another port: $(cat "$T/other/log")"
expect_stdout_lacks "S3cr3tPW"
expect_stderr_lacks "S3cr3tPW"

# Only http and https URLs are fetched at all
for url in file:///etc/passwd ftp://127.0.0.1/x "gopher://x/"; do
	lore_probe get "$url"
	expect_exit 1 "$url"
	expect_stderr_contains "error: '$url' is not an http or https URL"
done
