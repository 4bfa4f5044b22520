#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 send --preview-to ADDR, as b4 send --preview-to: the whole
# series, its subjects [PATCH PREVIEW ...], To: those addresses and no
# one else (no list, no MAINTAINERS, no trailers, no Cc:), for a review
# before the list sees it; nothing recorded (no attempt, no sent version,
# no tag, the revision as it was), so that the real send after it is v1
# with its own subjects and recipients.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b=x86/vmx/preview
five_series "$b"
git commit -q --amend -m "KVM: VMX: Change thing 5" -m "Change thing 5 for the test." \
	-m "Cc: Trailer Person <trailer@example.org>" \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_kvmx86 prep --enroll
expect_exit 0
smtp_start
send_config
read_state "$b"
cp "$OUT" "$T/state-before"

note "--preview-to: the series to those addresses only, nothing recorded"
run_kvmx86 send --no-sign --preview-to "Co Dev <co@example.org>" --preview-to rev@example.org
expect_exit 0
expect_stdout_contains "previewed 6 mails to Co Dev <co@example.org>, rev@example.org; nothing is recorded as sent"
[ "$(smtp_count)" = 6 ] || fail "the server has $(smtp_count) mails, not 6"
for f in "$SMTP_DIR"/mail-*.env; do
	[ "$(grep '^rcpt ' "$f" | sort | tr '\n' ' ')" = "rcpt co@example.org rcpt rev@example.org " ] ||
		fail "a preview went to others: $(tr "\n" " " <"$f")"
done
for n in 1 2 6; do
	[ "$(mail_header "$n" To)" = "Co Dev <co@example.org>, rev@example.org" ] ||
		fail "mail $n's To: is $(mail_header "$n" To)"
	[ -z "$(mail_header "$n" Cc)" ] || fail "mail $n has a Cc: $(mail_header "$n" Cc)"
done
mail_header 1 Subject | grep -q '^\[PATCH PREVIEW 0/5\] ' ||
	fail "the cover's subject: $(mail_header 1 Subject)"
mail_header 6 Subject | grep -q '^\[PATCH PREVIEW 5/5\] KVM: VMX: Change thing 5$' ||
	fail "patch 5's subject: $(mail_header 6 Subject)"
read_state "$b"
cmp -s "$OUT" "$T/state-before" || {
	diff "$T/state-before" "$OUT" >&2 || true
	fail "--preview-to changed the state"
}
[ -z "$(git tag -l 'sent/*')" ] || fail "--preview-to tagged"

note "--dry-run shows nothing of the preview: the real send is v1 as it would be"
run_kvmx86 send --dry-run
expect_exit 0
expect_stdout_contains "[PATCH 0/5]"
expect_stdout_lacks "PREVIEW"
expect_stdout_contains "kvm@vger.kernel.org"
expect_stdout_contains "trailer@example.org"

note "one mode at a time; --resend is no preview"
run_kvmx86 send --preview-to co@example.org --reflect
expect_exit 129
expect_stderr_contains "--dry-run, -o, --mbox, --reflect and --preview-to do not go together"
run_kvmx86 send --preview-to "not an address"
expect_exit 129
run_kvmx86 send --resend v1 --preview-to co@example.org
expect_exit 129
