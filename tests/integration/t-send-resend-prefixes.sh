#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --resend vN goes with the prefixes version N went with, read from its
# tag's first line as b4 --resend reads them ("[PATCH RFC v2 0/5]"), not
# with those set since for the next version: an RFC v1 resent after
# --set-prefixes "" stays RFC, a plain v2 resent while v3 is to be an RFC
# does not become one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b=x86/vmx/prefixes
five_series "$b"
smtp_start
send_config

run_kvmx86 prep --set-prefixes "RFC net-next"
expect_exit 0
run_kvmx86 send --force
expect_exit 0 "[PATCH RFC net-next 0/5] sent"
mail_header 1 Subject | grep -qx '\[PATCH RFC net-next 0/5\] KVM: VMX: Five changes' ||
	fail "v1's cover: $(mail_header 1 Subject)"

note "the prefixes dropped for v2: a resend of v1 keeps RFC and net-next"
run_kvmx86 prep --set-prefixes ""
expect_exit 0
run_kvmx86 send --resend v1 --dry-run
expect_exit 0 "--resend v1 --dry-run"
expect_stdout_contains "[PATCH RESEND RFC net-next 0/5] KVM: VMX: Five changes"
expect_stdout_contains "[PATCH RESEND RFC net-next 5/5] KVM: VMX: Change thing 5"

note "v2 sent plain, v3 to be an RFC: a resend of v2 is no RFC"
echo "/* v2 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q --amend -a --no-edit
run_kvmx86 send --force
expect_exit 0 "v2 sent"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
run_kvmx86 send --resend v2 --dry-run
expect_exit 0 "--resend v2 --dry-run"
expect_stdout_contains "[PATCH RESEND v2 0/5] KVM: VMX: Five changes"
expect_stdout_lacks "RFC"
fresh_server
run_kvmx86 send --resend v2
expect_exit 0 "--resend v2"
mail_header 1 Subject | grep -qx '\[PATCH RESEND v2 0/5\] KVM: VMX: Five changes' ||
	fail "the resent cover: $(mail_header 1 Subject)"
