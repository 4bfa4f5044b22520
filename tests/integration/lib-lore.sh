# SPDX-License-Identifier: GPL-2.0-only
#
# Lore for the integration tests: a real public-inbox holding the mails a
# test gives it, and a misbehaving HTTP server (lore-server.py).  Source it
# after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/lib-lore.sh"
#
#	need_public_inbox		# skips (77) without public-inbox
#	lore_init			# an empty inbox
#	lore_post_series frob "Tess Ting <tess@example.com>" 1 2 \
#		"KVM: x86: Frob the widget" 20230101-frob-0123456789ab
#	lore_start			# sets LORE_URL=http://127.0.0.1:PORT/all
#	git config kvmx86.loreUrl "$LORE_URL"
#	run_kvmx86 prep --cover ...	# or: lore_probe versions "$LORE_URL" ...
#
# The inbox is named "all" and served at http://127.0.0.1:PORT/all, the
# layout of https://lore.kernel.org/all: kvmx86 builds the same URLs for
# both.  It is indexed with -L full, as lore is: "medium" keeps no word
# positions, so the phrase searches kvmx86 makes (s:"...",
# nq:"change-id: ...", and any hyphenated word) find nothing there.
#
# Environment (set by tests/integration/meson.build):
#	LORE_PROBE	tests/lore-probe, a command-line driver of the lore code
#	LORE_SERVER	tests/integration/lore-server.py
#
# Servers stop at the test's exit (lib.sh's stop_at_exit), and on their own
# if the test is killed.

: "${LORE_PROBE:?set LORE_PROBE to tests/lore-probe}"
: "${LORE_SERVER:?set LORE_SERVER to tests/integration/lore-server.py}"

# lib.sh sends every proxy to a dead port; loopback stays reachable.
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1

LORE_ADDRESS=all@lore.example.org

# need_public_inbox: skips unless public-inbox and its Xapian search run.
need_public_inbox() {
	local p
	for p in public-inbox-init public-inbox-mda public-inbox-httpd; do
		command -v "$p" >/dev/null 2>&1 ||
			skip "$p is not installed (Debian: public-inbox)"
	done
	perl -MSearch::Xapian -e 1 2>/dev/null ||
		perl -MXapian -e 1 2>/dev/null ||
		skip "perl has no Xapian (Debian: libsearch-xapian-perl)"
}

# lore_init [LEVEL]: an empty v2 inbox "all" in $LORE_DIR ($T/lore),
# indexed at LEVEL (default full, as lore); exports PI_CONFIG and PI_DIR
# for the public-inbox commands.
lore_init() {
	local level=${1:-full}
	LORE_DIR=$T/lore
	mkdir -p "$LORE_DIR"
	export PI_CONFIG="$LORE_DIR/config" PI_DIR="$LORE_DIR/pi"
	# The URL only names the inbox: pages link to the Host asked for.
	public-inbox-init -V2 -L "$level" all "$LORE_DIR/all" \
		http://127.0.0.1/all "$LORE_ADDRESS" \
		>"$LORE_DIR/init.log" 2>&1 ||
		{ cat "$LORE_DIR/init.log" >&2; fail "public-inbox-init failed"; }
	# public-inbox-mda reads publicinboxmda.*, not publicinbox.*
	git config -f "$PI_CONFIG" publicinboxmda.spamcheck none
}

# lore_deliver: delivers the mail on stdin to the inbox.
lore_deliver() {
	ORIGINAL_RECIPIENT=$LORE_ADDRESS public-inbox-mda \
		>"$LORE_DIR/mda.log" 2>&1 ||
		{ cat "$LORE_DIR/mda.log" >&2; fail "public-inbox-mda failed"; }
}

# lore_message MSGID FROM SUBJECT DATE [IN-REPLY-TO]: prints a mail (8-bit
# UTF-8 text) whose body is stdin; MSGID without <>.
lore_message() {
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s>\n' \
		"$2" "$LORE_ADDRESS" "$3" "$4" "$1"
	if [ -n "${5:-}" ]; then
		printf 'In-Reply-To: <%s>\nReferences: <%s>\n' "$5" "$5"
	fi
	printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	cat
}

# lore_msgid TAG REVISION INDEX DOMAIN: the Message-ID lore_post_series
# gives message INDEX (0: the cover letter) of version REVISION.
lore_msgid() {
	printf '%s.v%s.%s@%s\n' "$1" "$2" "$3" "$4"
}

# lore_post_series TAG FROM REVISION COUNT SUBJECT [CHANGE-ID]: delivers
# version REVISION of a series of COUNT patches from FROM ("Name <email>"):
# with COUNT > 1 a cover letter "[PATCH vR 0/N] SUBJECT" (its body ends
# with b4's "change-id: ID" when given) and patches "[PATCH vR i/N]
# SUBJECT, part i" replying to it; with COUNT 1 one "[PATCH vR] SUBJECT"
# (the change-id under its "---").  v1 has no "v1".  Message-IDs come from
# lore_msgid TAG REVISION INDEX <domain of FROM>; the date is REVISION
# days into January 2023.  LORE_PREFIX (default PATCH) changes the prefix,
# e.g. "RFC PATCH".
lore_post_series() {
	local tag=$1 from=$2 rev=$3 count=$4 subject=$5 cid=${6:-}
	local domain v="" day cover i
	domain=${from##*@}
	domain=${domain%>}
	[ "$rev" = 1 ] || v=" v$rev"
	day=$(printf '%02d' "$rev")
	if [ "$count" = 1 ]; then
		{
			printf 'The patch of v%s.\n\nSigned-off-by: %s\n---\n' \
				"$rev" "$from"
			[ -z "$cid" ] || printf 'change-id: %s\n' "$cid"
			printf ' f | 1 +\n'
		} | lore_message "$(lore_msgid "$tag" "$rev" 1 "$domain")" \
			"$from" "[${LORE_PREFIX:-PATCH}$v] $subject" \
			"Mon, $day Jan 2023 10:00:00 +0000" | lore_deliver
		return
	fi
	cover=$(lore_msgid "$tag" "$rev" 0 "$domain")
	{
		printf 'Cover letter of v%s.\n\n---\n' "$rev"
		printf 'base-commit: 0123456789abcdef0123456789abcdef01234567\n'
		[ -z "$cid" ] || printf 'change-id: %s\n' "$cid"
		printf '\nBest regards,\n'
	} | lore_message "$cover" "$from" \
		"[${LORE_PREFIX:-PATCH}$v 0/$count] $subject" \
		"Mon, $day Jan 2023 10:00:00 +0000" | lore_deliver
	for i in $(seq 1 "$count"); do
		printf 'Patch %s of v%s.\n' "$i" "$rev" |
			lore_message "$(lore_msgid "$tag" "$rev" "$i" "$domain")" \
				"$from" \
				"[${LORE_PREFIX:-PATCH}$v $i/$count] $subject, part $i" \
				"Mon, $day Jan 2023 10:00:0$((i % 10)) +0000" \
				"$cover" | lore_deliver
	done
}

# lore_start: serves the inbox with public-inbox-httpd on a free port;
# sets LORE_PORT and LORE_URL (http://127.0.0.1:PORT/all) once it answers.
lore_start() {
	local i rc port=
	public-inbox-httpd -W0 -l http://127.0.0.1:0 \
		>"$LORE_DIR/httpd.out" 2>"$LORE_DIR/httpd.err" </dev/null &
	LORE_PID=$!
	stop_at_exit "$LORE_PID"
	watch_parent "$LORE_PID"
	# It binds port 0 and says which port it got.
	for i in $(seq 1 150); do
		# the background shell may not have made the file yet
		[ ! -e "$LORE_DIR/httpd.err" ] ||
			port=$(sed -n 's,^# bound http://127\.0\.0\.1:\([0-9]*\)$,\1,p' \
				"$LORE_DIR/httpd.err")
		[ -z "$port" ] || break
		kill -0 "$LORE_PID" 2>/dev/null || {
			cat "$LORE_DIR/httpd.err" >&2
			fail "public-inbox-httpd exited"
		}
		sleep 0.2
	done
	[ -n "$port" ] || fail "public-inbox-httpd did not start in 30 s"
	LORE_PORT=$port
	LORE_URL=http://127.0.0.1:$port/all
	# Any HTTP answer will do (an empty inbox's page is a 404: status 2).
	for i in $(seq 1 50); do
		rc=0
		"$LORE_PROBE" --retries 0 --timeout-ms 5000 get "$LORE_URL/" \
			>/dev/null 2>&1 || rc=$?
		[ "$rc" != 0 ] && [ "$rc" != 2 ] || return 0
		sleep 0.2
	done
	fail "public-inbox-httpd does not answer at $LORE_URL"
}

# lore_list_start: the list as vger is to lore: an SMTP server on loopback
# (lib-smtp.sh's, sourced by the test) that hands each mail it takes to
# public-inbox-mda; lore_init and lore_start first.
lore_list_start() {
	cat >"$T/deliver" <<EOF
#!/bin/sh
PI_CONFIG='$PI_CONFIG' PI_DIR='$PI_DIR' ORIGINAL_RECIPIENT='$LORE_ADDRESS' \
	exec public-inbox-mda
EOF
	chmod +x "$T/deliver"
	smtp_start --deliver "$T/deliver"
}

# lore_repo: the inbox served and a sample repository, entered, whose
# user is Tess Ting and which reads lore there; NEXT is its kvm-x86/next.
lore_repo() {
	need_public_inbox
	lore_init
	lore_start
	cd "$(sample_repo)" || fail "no sample repository"
	git config user.name "Tess Ting"
	git config user.email tess@example.com
	git config kvmx86.loreUrl "$LORE_URL"
	git config kvmx86.loreLinkUrl "$LORE_URL"
	NEXT=$(sha refs/remotes/kvm-x86/next)
}

# lore_list_repo: lore_repo, and the list's SMTP server that feeds the
# inbox (lib-smtp.sh, sourced by the test), which the repository sends to.
lore_list_repo() {
	need_aiosmtpd
	lore_repo
	lore_list_start
	lore_list_config
}

# lore_post_patches NAME REVISION RANGE BASE: RANGE as git format-patch
# writes it (a cover letter, threaded, base-commit BASE, version REVISION)
# into $T/NAME, each mail delivered to the inbox as another mailer would
# send it; prints the cover letter's Message-ID.
lore_post_patches() {
	local f
	rm -rf "$T/$1"
	git format-patch -q --cover-letter --thread --base="$4" -v "$2" \
		--to="$LORE_ADDRESS" -o "$T/$1" "$3"
	for f in "$T/$1"/*.patch; do
		sed '1{/^From /d}' "$f" | lore_deliver
	done
	sed -n 's/^Message-I[Dd]: <\(.*\)>$/\1/p' "$T/$1"/*0000-cover-letter.patch | head -1
}

# lore_list_config: this repository sends to that server and reads lore
# there.
lore_list_config() {
	git config sendemail.smtpServer 127.0.0.1
	git config sendemail.smtpServerPort "$SMTP_PORT"
	git config kvmx86.loreUrl "$LORE_URL"
	git config kvmx86.loreLinkUrl "$LORE_URL"
}

# watch_parent PID: stops PID if this test dies without its cleanup
# (SIGKILL): a background loop that waits for the test to be gone.
watch_parent() {
	local test_pid=$$ pid=$1
	(
		trap - EXIT ERR
		while kill -0 "$test_pid" 2>/dev/null; do
			sleep 1
		done
		kill -TERM "$pid" 2>/dev/null
	) </dev/null >/dev/null 2>&1 &
	stop_at_exit $!
}

# fake_lore_start [MBOX]: starts lore-server.py (serving MBOX, or its own
# two cover letters); sets FAKE_DIR and FAKE_URL (http://127.0.0.1:PORT).
# A test's base URL picks the misbehaviour: "$FAKE_URL/stall-5/all".
fake_lore_start() {
	local i
	FAKE_DIR=$T/fake
	mkdir -p "$FAKE_DIR"
	/usr/bin/python3 "$LORE_SERVER" "$FAKE_DIR" ${1:+"$1"} \
		>"$FAKE_DIR/out" 2>"$FAKE_DIR/err" </dev/null &
	FAKE_PID=$!
	stop_at_exit "$FAKE_PID"
	for i in $(seq 1 100); do
		[ ! -s "$FAKE_DIR/port" ] || break
		kill -0 "$FAKE_PID" 2>/dev/null || {
			cat "$FAKE_DIR/err" >&2
			fail "lore-server.py exited"
		}
		sleep 0.1
	done
	[ -s "$FAKE_DIR/port" ] || fail "lore-server.py did not start in 10 s"
	FAKE_URL=http://127.0.0.1:$(cat "$FAKE_DIR/port")
}

# fake_lore_count MODE: the requests lore-server.py got for MODE.
fake_lore_count() {
	cat "$FAKE_DIR/count.$1" 2>/dev/null || echo 0
}

# expect_requests MODE N: lore-server.py got exactly N requests for MODE.
expect_requests() {
	local got
	got=$(fake_lore_count "$1")
	[ "$got" = "$2" ] || fail "$1: expected $2 requests, got $got"
}

# lore_probe ARGS...: runs tests/lore-probe like run_kvmx86 (RC, $OUT,
# $ERR), killed after 120 s; sets PROBE_MS to the time it took.
lore_probe() {
	local t0
	LAST_CMD="lore-probe$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	t0=$(date +%s%N)
	timeout 120 "$LORE_PROBE" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
	PROBE_MS=$((($(date +%s%N) - t0) / 1000000))
}

# expect_faster_than MS [WHAT]: the last lore_probe took less than MS.
expect_faster_than() {
	[ "$PROBE_MS" -lt "$1" ] ||
		fail "${2:-}${2:+: }took $PROBE_MS ms, expected under $1 ms"
}

# expect_slower_than MS [WHAT]: ... and at least MS (a backoff happened).
expect_slower_than() {
	[ "$PROBE_MS" -ge "$1" ] ||
		fail "${2:-}${2:+: }took $PROBE_MS ms, expected $1 ms or more"
}
