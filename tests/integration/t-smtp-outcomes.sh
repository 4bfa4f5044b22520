#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# What became of each mail: accepted (the 250 after the data), failed
# (nothing went: the server is gone), unknown (the data went, the reply
# did not come), refused (a recipient refused, and named); and
# smtpBatchSize/smtpReloginDelay: a new connection after each batch.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
for i in 1 2 3 4 5; do smtp_mail $i >"$T/m$i"; done
all=("$T/m1" "$T/m2" "$T/m3" "$T/m4" "$T/m5")

# the server goes away after the 250 of mail 2 of 5
smtp_start --drop-after 2
smtp_repo
run_probe --to list@example.org "${all[@]}"
expect_exit 1
expect_stdout_contains "$T/m1 accepted"
expect_stdout_contains "$T/m2 accepted"
expect_stdout_contains "$T/m3 failed"
expect_stdout_lacks "$T/m4"
smtp_wait_exit
[ "$(smtp_count)" = 2 ] || fail "expected 2 mails, got $(smtp_count)"
smtp_received 1 "$T/m1"
smtp_received 2 "$T/m2"

# back on the same port: the rest goes, no duplicate
smtp_start --port "$SMTP_PORT"
run_probe --to list@example.org "$T/m3" "$T/m4" "$T/m5"
expect_exit 0
[ "$(smtp_count)" = 5 ] || fail "expected 5 mails, got $(smtp_count)"
for i in 1 2 3 4 5; do smtp_received $i "$T/m$i"; done
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true

# the connection drops between the final dot and the 250 of mail 2
rm -rf "$SMTP_DIR"
smtp_start --drop-before-reply 2
smtp_repo
run_probe --to list@example.org "${all[@]}"
expect_exit 1
expect_stdout_contains "$T/m1 accepted"
expect_stdout_contains "$T/m2 unknown"
expect_stdout_lacks "$T/m3"
# the server did take it: "possibly sent" was right to say
[ "$(smtp_count)" = 2 ] || fail "expected 2 mails, got $(smtp_count)"
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true

# a refused recipient: named, and nothing of that mail delivered
rm -rf "$SMTP_DIR"
smtp_start --refuse gone@example.org
smtp_repo
run_probe --to list@example.org --to gone@example.org --to x@example.org \
	"$T/m1"
expect_exit 1
expect_stdout_contains "$T/m1 refused refused=gone@example.org reply=550"
[ "$(smtp_count)" = 0 ] || fail "a mail with a refused recipient went"
# the session goes on with the next mail
run_probe --to list@example.org --to gone@example.org "$T/m1" 
expect_exit 1
run_probe --to list@example.org "$T/m1" "$T/m2"
expect_exit 0
[ "$(smtp_count)" = 2 ] || fail "expected 2 mails, got $(smtp_count)"
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true

# the server answers the data of mail 2 with 554: refused, not unknown
rm -rf "$SMTP_DIR"
smtp_start --reject-data 2
smtp_repo
run_probe --keep-going --to list@example.org "$T/m1" "$T/m2" "$T/m3"
expect_exit 1
expect_stdout_contains "$T/m1 accepted"
expect_stdout_contains "$T/m2 refused reply=554 5.6.0 message refused"
expect_stdout_contains "$T/m3 accepted"
[ "$(smtp_count)" = 2 ] || fail "expected 2 mails, got $(smtp_count)"
smtp_received 2 "$T/m3"
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true

# batches of 2 mails, 1 s between them: 3 logins for 5 mails
rm -rf "$SMTP_DIR"
smtp_start
smtp_repo
git -C "$T/repo" config sendemail.smtpBatchSize 2
git -C "$T/repo" config sendemail.smtpReloginDelay 1
start=$(date +%s)
run_probe --to list@example.org "${all[@]}"
end=$(date +%s)
expect_exit 0
[ "$(grep -c '^ehlo ' "$SMTP_DIR/log")" = 3 ] ||
	fail "expected 3 connections: $(cat "$SMTP_DIR/log")"
[ $((end - start)) -ge 2 ] || fail "no relogin delay ($((end - start)) s)"
for i in 1 2 3 4 5; do smtp_received $i "$T/m$i"; done
