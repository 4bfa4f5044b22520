# SPDX-License-Identifier: GPL-2.0-only
#
# Mail delivery for the integration tests: a real SMTP server on loopback
# (smtp-server.py, Debian's python3-aiosmtpd), throw-away certificates, a
# repository whose git configuration says where mails go, and
# tests/smtp-probe to send.  Source it after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/lib-smtp.sh"
#
#	need_aiosmtpd			# skips (77) without python3-aiosmtpd
#	smtp_certs			# $TLS/ca.pem, $TLS/server.{pem,key}
#	smtp_start --starttls --user tess --password "$PW"
#					# sets SMTP_PORT, SMTP_DIR ($T/smtp)
#	smtp_repo			# $T/repo, sendemail.* for that server
#	smtp_mail 1 >"$T/m1"		# a small mail
#	run_probe --to a@example.org "$T/m1"
#	expect_stdout_contains "accepted"
#	smtp_received 1			# mail-001.eml with LF line ends
#
# Environment (set by tests/integration/meson.build):
#	SMTP_PROBE	tests/smtp-probe, a command-line driver of smtp.h
#	SMTP_SERVER	tests/integration/smtp-server.py
#
# The server stops at the test's exit (lib.sh's stop_at_exit), and on its
# own if the test is killed.

: "${SMTP_PROBE:?set SMTP_PROBE to tests/smtp-probe}"
: "${SMTP_SERVER:?set SMTP_SERVER to tests/integration/smtp-server.py}"

TLS=$T/tls
SMTP_DIR=$T/smtp

# need_aiosmtpd: skips unless /usr/bin/python3 has aiosmtpd.
need_aiosmtpd() {
	/usr/bin/python3 -c 'import aiosmtpd.controller' 2>/dev/null ||
		skip "aiosmtpd is not installed (Debian: python3-aiosmtpd)"
	command -v openssl >/dev/null 2>&1 ||
		skip "openssl is not installed (Debian: openssl)"
}

# smtp_certs: a CA and a server certificate it signed, for 127.0.0.1 and
# localhost, in $TLS (ca.pem; server.pem and server.key); also a second
# CA that signed nothing here ($TLS/other-ca.pem).
smtp_certs() {
	mkdir -p "$TLS"
	(
		cd "$TLS"
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
			-subj "/CN=kvmx86 test CA" -keyout ca.key -out ca.pem
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
			-subj "/CN=kvmx86 other CA" -keyout other-ca.key \
			-out other-ca.pem
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
			-keyout server.key -out server.csr
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -days 2 -extfile ext -out server.pem
	) >"$T/openssl.log" 2>&1 ||
		{ cat "$T/openssl.log" >&2; fail "openssl could not make certificates"; }
}

# smtp_start [OPTION...]: starts smtp-server.py with the options (see its
# help) over $SMTP_DIR; --starttls and --implicit get $TLS's certificate.
# Sets SMTP_PID and SMTP_PORT once it listens.
smtp_start() {
	local i tls=()
	case " $* " in
	*" --starttls "*|*" --implicit "*)
		tls=(--cert "$TLS/server.pem" --key "$TLS/server.key") ;;
	esac
	mkdir -p "$SMTP_DIR"
	rm -f "$SMTP_DIR/port"
	/usr/bin/python3 "$SMTP_SERVER" "${tls[@]}" "$@" "$SMTP_DIR" \
		>"$SMTP_DIR/out" 2>"$SMTP_DIR/err" </dev/null &
	SMTP_PID=$!
	stop_at_exit "$SMTP_PID"
	for i in $(seq 1 100); do
		[ ! -s "$SMTP_DIR/port" ] || break
		kill -0 "$SMTP_PID" 2>/dev/null || {
			cat "$SMTP_DIR/err" >&2
			fail "smtp-server.py exited"
		}
		sleep 0.1
	done
	[ -s "$SMTP_DIR/port" ] || fail "smtp-server.py did not start in 10 s"
	SMTP_PORT=$(cat "$SMTP_DIR/port")
}

# smtp_wait_exit: waits (5 s at most) for smtp-server.py to exit, as it
# does after --drop-after.
smtp_wait_exit() {
	local i
	for i in $(seq 1 50); do
		kill -0 "$SMTP_PID" 2>/dev/null || return 0
		sleep 0.1
	done
	fail "smtp-server.py did not exit"
}

# smtp_repo [ENCRYPTION]: an empty repository $T/repo whose sendemail.*
# names the server (127.0.0.1:$SMTP_PORT) and the encryption (tls, ssl,
# none; default: unset).
smtp_repo() {
	rm -rf "$T/repo"
	git init -q "$T/repo"
	git -C "$T/repo" config sendemail.smtpServer 127.0.0.1
	git -C "$T/repo" config sendemail.smtpServerPort "$SMTP_PORT"
	[ -z "${1:-}" ] || git -C "$T/repo" config sendemail.smtpEncryption "$1"
}

# smtp_mail N [SUBJECT]: prints a small mail (LF line ends) numbered N,
# with a line starting with a dot and one with a lone dot.
smtp_mail() {
	printf 'From: Tess Ting <tess@example.com>\n'
	printf 'To: list@example.org\n'
	printf 'Subject: %s\n' "${2:-[PATCH $1/5] mail $1}"
	printf 'Message-ID: <mail.%s@example.com>\n' "$1"
	printf 'Date: Mon, 07 Dec 2026 12:00:0%s +0000\n\n' "$(( $1 % 10 ))"
	printf 'Body of mail %s.\n.leading dot\n.\n..two dots\n\ttab\n' "$1"
	printf 'trailing blanks   \n\nend\n'
}

# run_probe ARGS...: runs smtp-probe -C $T/repo ARGS; sets RC, leaves
# stdout in $OUT, stderr in $ERR.
run_probe() {
	LAST_CMD="smtp-probe -C $T/repo$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	"$SMTP_PROBE" -C "$T/repo" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# smtp_received N FILE: the server's N-th stored mail is FILE's bytes
# (CRLF line ends as LF).
smtp_received() {
	local got
	got=$(printf '%s/mail-%03d.eml' "$SMTP_DIR" "$1")
	[ -f "$got" ] || fail "the server has no mail $1"
	sed 's/\r$//' "$got" >"$got.lf"
	cmp -s "$got.lf" "$2" ||
		{ diff "$2" "$got.lf" >&2 || true; fail "mail $1 is not the mail sent"; }
}

# smtp_count: the number of mails the server stored.
smtp_count() {
	find "$SMTP_DIR" -name 'mail-*.eml' | wc -l
}

# cred_helper PATH: writes a git credential helper to PATH that logs each
# call to $KX_CRED_LOG (read when it runs; "$T/cred.log" if unset), never
# the password, and answers get with $KX_TEST_PW, or with a wrong one
# while "$T/wrong" exists.
cred_helper() {
	cat >"$1" <<HELPER
#!/bin/sh
{
	echo "call \$1"
	while IFS= read -r line && [ -n "\$line" ]; do
		case \$line in
		password=*) echo "password=(given)" ;;
		*) echo "\$line" ;;
		esac
	done
} >>"\${KX_CRED_LOG:-$T/cred.log}"
if [ "\$1" = get ]; then
	if [ -e "$T/wrong" ]; then
		echo "password=not-\$KX_TEST_PW"
	else
		echo "password=\$KX_TEST_PW"
	fi
fi
exit 0
HELPER
	chmod +x "$1"
}
