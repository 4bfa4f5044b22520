# SPDX-License-Identifier: GPL-2.0-only
#
# kvmx86 send against a real SMTP server on loopback (lib-smtp.sh's
# smtp-server.py): a sample repository with a series to send and the
# sendemail.* configuration of that server.  Source it after lib.sh.

. "$(dirname "$0")/lib-smtp.sh"

# send_identity: the sender of the sample repository's mails.
send_identity() {
	git config user.name "Sam Sender"
	git config user.email "sam@example.com"
}

# five_series NAME: a clean 5-patch series on kvm-x86/next, enrolled.
five_series() {
	local i
	git checkout -q -b "$1" "$(sha refs/remotes/kvm-x86/next)"
	for i in 1 2 3 4 5; do
		echo "/* change $i */" >>arch/x86/kvm/vmx/vmx.c
		git commit -q -am "KVM: VMX: Change thing $i" \
			-m "Change thing $i for the test." \
			-m "Signed-off-by: Tess Ting <tess@example.com>"
	done
	git config "branch.$1.description" \
		"$(printf 'KVM: VMX: Five changes\n\nFive changes for the test.')"
	run_kvmx86 prep --enroll --base "$(sha refs/remotes/kvm-x86/next)"
	expect_exit 0 "enrolling $1"
}

# sendmail_sink: this repository sends through a sendmail-like program that
# keeps each mail in $T/out (mail-N.eml); sent prints how many it holds.
sendmail_sink() {
	mkdir -p "$T/out"
	printf '%s\n' '#!/bin/sh' "n=\$(ls '$T/out' | wc -l)" "cat >'$T/out'/mail-\$n.eml" >"$T/sendmail"
	chmod +x "$T/sendmail"
	git config sendemail.smtpServer "$T/sendmail"
}
sent() { ls "$T/out" | wc -l; }

# tidy_series NAME: a clean 2-patch series on kvm-x86/next, enrolled; NEXT
# is kvm-x86/next.
tidy_series() {
	local i
	NEXT=$(sha refs/remotes/kvm-x86/next)
	git checkout -q -b "$1" "$NEXT"
	for i in 1 2; do
		echo "/* tidy $i */" >>arch/x86/kvm/vmx/vmx.c
		git commit -q -am "KVM: VMX: Tidy part $i" -m "Tidy part $i for the test." \
			-m "Signed-off-by: Tess Ting <tess@example.com>"
	done
	git config "branch.$1.description" "$(printf 'KVM: VMX: Tidy\n\nTwo tidy parts.')"
	run_kvmx86 prep --enroll --base "$NEXT"
	expect_exit 0 "enrolling $1"
}

# send_config: this repository's sendemail.* names the server started.
send_config() {
	git config sendemail.smtpServer 127.0.0.1
	git config sendemail.smtpServerPort "$SMTP_PORT"
}

# mail_header N NAME: header NAME of the server's N-th mail (unfolded).
mail_header() {
	python3 - "$(printf '%s/mail-%03d.eml' "$SMTP_DIR" "$1")" "$2" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.compat32)
v = m.get(sys.argv[2])
print('' if v is None else ' '.join(str(v).split()))
PY
}

# msgids: the Message-IDs of every mail the server stored, one a line.
msgids() {
	local f
	for f in "$SMTP_DIR"/mail-*.eml; do
		[ -e "$f" ] || continue
		sed -n 's/\r$//; s/^[Mm]essage-[Ii][Dd]: *//p' "$f" | head -1
	done
}

# fresh_server [OPTION...]: a new server over an empty $SMTP_DIR (its
# mails numbered from 1), configured as this repository's.
fresh_server() {
	stop_background
	rm -rf "$SMTP_DIR"
	smtp_start "$@"
	send_config
}

# restart [OPTION...]: a new server over the same $SMTP_DIR (its mails
# kept and numbered on), configured as this repository's.
restart() {
	stop_background
	smtp_start "$@"
	send_config
}

# no_duplicates N: the server holds N mails, each Message-ID once.
no_duplicates() {
	[ "$(smtp_count)" = "$1" ] || fail "the server has $(smtp_count) mails, not $1"
	[ "$(msgids | sort -u | wc -l)" = "$1" ] || {
		msgids | sort | uniq -d >&2
		fail "a Message-ID arrived twice (above)"
	}
}
