#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Plain text goes to loopback only: smtpEncryption=none to a server off
# loopback is refused before any connection, an unset smtpEncryption
# there insists on STARTTLS, and --smtp-insecure (the probe's --insecure)
# is the explicit way round both.  It runs in a network namespace of its
# own (unshare -rn) with no route off the machine, so that a regression
# cannot send anything anywhere; the "remote" server is 192.0.2.1
# (TEST-NET-1) on the namespace's own loopback device.
if [ -z "${KX_IN_NETNS:-}" ]; then
	if ! unshare -rn true 2>/dev/null; then
		echo "SKIP: t-smtp-insecure: unshare -rn is not permitted here" \
			"(user namespaces disabled?)" >&2
		exit 77
	fi
	KX_IN_NETNS=1 exec unshare -rn bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
command -v ip >/dev/null 2>&1 || skip "ip is not installed (Debian: iproute2)"
ip link set lo up
ip addr add 192.0.2.1/32 dev lo
# the namespace has no route off the machine
! ip route get 1.1.1.1 >/dev/null 2>&1 || fail "the namespace has a route"

smtp_mail 1 >"$T/m1"
smtp_start --host 192.0.2.1
git init -q "$T/repo"
git -C "$T/repo" config sendemail.smtpServer 192.0.2.1
git -C "$T/repo" config sendemail.smtpServerPort "$SMTP_PORT"

# none, off loopback: refused before connecting
git -C "$T/repo" config sendemail.smtpEncryption none
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "not on loopback"
expect_stderr_contains "--smtp-insecure"
[ ! -s "$SMTP_DIR/log" ] || fail "a connection was made: $(cat "$SMTP_DIR/log")"

# unset, off loopback: STARTTLS or nothing
git -C "$T/repo" config --unset sendemail.smtpEncryption
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "offers no STARTTLS"
[ "$(smtp_count)" = 0 ] || fail "a mail went in plain text"

# --insecure: the user's explicit choice
run_probe --insecure --to list@example.org "$T/m1"
expect_exit 0
git -C "$T/repo" config sendemail.smtpEncryption none
run_probe --insecure --to list@example.org "$T/m1"
expect_exit 0
smtp_received 1 "$T/m1"
smtp_received 2 "$T/m1"
