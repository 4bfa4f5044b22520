#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send's question (sendemail.confirm unset: [Y/n], Enter sends) reads the
# word typed, blanks around it aside: a " n" typed with a stray space is
# a no, never taken for Enter; nor is the end of a line too long to read
# at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_tty

cd "$(sample_repo)"
send_identity
sendmail_sink

five_series x86/vmx/answer

for answer in ' n' $'\tno' ' N '; do
	note "unset, '$answer' typed: a no"
	answer_on_tty "$answer"$'\n' send
	expect_exit 1 "the answer '$answer'"
	expect_stdout_contains "Send them? [Y/n]"
	expect_stdout_contains "nothing was sent"
	[ "$(sent)" = 0 ] || fail "$(sent) mails went after '$answer'"
done

note "unset, a line of 63 letters, then n: asked again, and a no"
answer_on_tty "$(printf 'x%.0s' $(seq 1 63))"$'\nn\n' send
expect_exit 1 "a long line, then n"
expect_stdout_contains "nothing was sent"
[ "$(sent)" = 0 ] || fail "$(sent) mails went after a long line and n"

note "unset, ' y' typed: sent"
answer_on_tty $' y\n' send
expect_exit 0
[ "$(sent)" = 6 ] || fail "$(sent) mails went after ' y', not 6"
