#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Mails reach a loopback SMTP server byte for byte (dots, blanks, tabs),
# over one connection, with the envelope the caller gave; plain text is
# allowed because the server is on loopback.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
smtp_start
smtp_repo
for i in 1 2 3; do smtp_mail $i >"$T/m$i"; done
# a mail without a final newline, and one with CRLF already
printf 'Subject: no newline\n\nlast line' >"$T/m4"
printf 'Subject: crlf\r\n\r\nbody\r\n.\r\n' >"$T/m5"

run_probe --from tess@example.com --to list@example.org \
	--to 'Other.Person+kvm@example.net' "$T/m1" "$T/m2" "$T/m3" "$T/m4" \
	"$T/m5"
expect_exit 0
[ "$(grep -c ' accepted' "$OUT")" = 5 ] || fail "not every mail accepted"
smtp_received 1 "$T/m1"
smtp_received 2 "$T/m2"
smtp_received 3 "$T/m3"
printf 'Subject: no newline\n\nlast line\n' >"$T/m4.want"
smtp_received 4 "$T/m4.want"
printf 'Subject: crlf\n\nbody\n.\n' >"$T/m5.want"
smtp_received 5 "$T/m5.want"
printf 'from tess@example.com\nrcpt list@example.org\nrcpt Other.Person+kvm@example.net\n' \
	>"$T/env.want"
cmp -s "$SMTP_DIR/mail-001.env" "$T/env.want" || fail "wrong envelope"
# one connection for the five mails
[ "$(grep -c '^ehlo ' "$SMTP_DIR/log")" = 1 ] ||
	fail "expected one EHLO, got: $(cat "$SMTP_DIR/log")"

# sendemail.envelopeSender names the envelope sender (no --from)
git -C "$T/repo" config sendemail.envelopeSender bounce@example.com
run_probe --to list@example.org "$T/m1"
expect_exit 0
grep -qx 'from bounce@example.com' "$SMTP_DIR/mail-006.env" ||
	fail "envelopeSender not used"

# sendemail.smtpDomain is the EHLO name
git -C "$T/repo" config sendemail.smtpDomain client.example.org
run_probe --to list@example.org "$T/m1"
expect_exit 0
grep -qx 'ehlo client.example.org' "$SMTP_DIR/log" || fail "smtpDomain not used"

# an address that would split a command is refused before anything goes
run_probe --to $'a@example.org\r\nRCPT TO:<b@example.org>' "$T/m1"
expect_exit 1
expect_stdout_contains "failed"
expect_stderr_contains "is not an address"
run_probe --to '-oQ/tmp/x' "$T/m1"
expect_exit 1
[ "$(smtp_count)" = 7 ] || fail "a refused address still sent a mail"

# a large mail: lines of every length around libcurl's buffers, dots at
# their starts, CR LF pairs that a boundary could split
/usr/bin/python3 - "$T/big" <<'PY'
import sys
out = [b"Subject: big\n", b"\n"]
for i in range(6000):
    n = (i * 37) % 300
    line = (b"." if i % 7 == 0 else b"x") + bytes((97 + (i + k) % 26) for k in range(n))
    out.append(line + b"\n")
    if i % 11 == 0:
        out.append(b".\n")
open(sys.argv[1], "wb").write(b"".join(out))
PY
run_probe --to list@example.org "$T/big"
expect_exit 0
smtp_received 8 "$T/big"
stored=$(printf '%s/mail-008.eml' "$SMTP_DIR")
# every line end arrived as CRLF, none doubled
[ "$(grep -c $'\r$' "$stored")" = "$(wc -l <"$T/big")" ] || fail "line ends changed"
! grep -q $'\r\r' "$stored" || fail "a CR doubled"

# IPv6 loopback, where the machine has it
if /usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true
	smtp_start --host ::1
	git -C "$T/repo" config sendemail.smtpServer ::1
	git -C "$T/repo" config sendemail.smtpServerPort "$SMTP_PORT"
	run_probe --to list@example.org "$T/m1"
	expect_exit 0
	smtp_received 9 "$T/m1"
else
	note "no IPv6 loopback: [::1] not tried"
fi
