#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# git's own configuration files, read as git send-email reads them:
# kvmx86.* over sendemail.<identity>.* over sendemail.*, names in any
# case, --identity over sendemail.identity, the global file under the
# repository's; a bad value names its key; the password is never shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

git init -q "$T/repo"
git config --global sendemail.smtpServer global.example.org
git config --global sendemail.smtpPass 'global-pw-9Yq'
git -C "$T/repo" config sendemail.identity work
git -C "$T/repo" config sendemail.work.smtpserver work.example.org
git -C "$T/repo" config sendemail.work.SMTPSERVERPORT 587
git -C "$T/repo" config sendemail.smtpEncryption tls
git -C "$T/repo" config sendemail.smtpUser tess
git -C "$T/repo" config sendemail.home.smtpServer home.example.org

run_probe --conf
expect_exit 0
expect_stdout_contains "kind server"
expect_stdout_contains "server work.example.org"
expect_stdout_contains "port 587"
expect_stdout_contains "tls starttls"
expect_stdout_contains "user tess"
expect_stdout_contains "pass (set)"
expect_stdout_contains "identity work"
expect_stdout_contains "origin smtpServer=sendemail.work.smtpServer"
expect_stdout_lacks "global-pw-9Yq"

run_probe --identity home --conf
expect_exit 0
expect_stdout_contains "server home.example.org"
expect_stdout_contains "port 25"

git -C "$T/repo" config kvmx86.smtpServer /usr/sbin/my-sendmail
run_probe --conf
expect_exit 0
expect_stdout_contains "kind program"
expect_stdout_contains "server /usr/sbin/my-sendmail"
expect_stdout_contains "port 0"

git -C "$T/repo" config kvmx86.smtpServerPort nope
run_probe --conf
expect_exit 1
expect_stderr_contains "'kvmx86.smtpServerPort'"

# a service name as the port (getservbyname: /etc/services), and a port
# in smtpServer, which wins over smtpServerPort as in git send-email
git -C "$T/repo" config --unset kvmx86.smtpServer
git -C "$T/repo" config kvmx86.smtpServerPort submission
run_probe --conf
expect_exit 0
expect_stdout_contains "port 587"
git -C "$T/repo" config kvmx86.smtpServer mail.example.org:2525
run_probe --conf
expect_exit 0
expect_stdout_contains "server mail.example.org"
expect_stdout_contains "port 2525"
expect_stdout_contains "origin smtpServerPort=kvmx86.smtpServer"
git -C "$T/repo" config kvmx86.smtpServerPort no-such-service
run_probe --conf
expect_exit 1
expect_stderr_contains "'kvmx86.smtpServerPort'"
