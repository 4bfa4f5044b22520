#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --color[=<when>], --no-color, color.kvmx86, color.ui and color.pager, as
# git takes them, in every command, and their order: NO_COLOR over
# everything (--color=always too), then the command line, then
# color.kvmx86, then color.ui, then auto (a terminal, or git's pager, and
# TERM set and not dumb).  --json never has colour.  A bad value is bad
# usage (129) on the command line, a failure naming the key (128) in the
# configuration.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

unset GIT_PAGER_IN_USE
export TERM=xterm-256color
cd "$(sample_repo)"
wrong=x86/mmu/multiarch		# check-base: a red "wrong" verdict, exit 1

# expect_color [WHAT]: an SGR sequence (ESC [ ... m) on stdout.
expect_color() {
	grep -q $'\033\\[[0-9;]*m' "$OUT" || fail "${1:-}${1:+: }no colour on stdout"
}

# expect_plain [WHAT]: no ESC on stdout or stderr.
expect_plain() {
	! grep -q $'\033' "$OUT" || fail "${1:-}${1:+: }an ESC on stdout"
	! grep -q $'\033' "$ERR" || fail "${1:-}${1:+: }an ESC on stderr"
}

# cb ENV... -- ARGS...: check-base ARGS $wrong to a pipe, exit 1.
cb() {
	run_env "$@" "$wrong"
	expect_exit 1 "$LAST_CMD"
}

note "to a pipe: auto is off; --color and --color=always force it"
cb -- check-base
expect_plain "auto, a pipe"
cb -- check-base --color
expect_color "--color"
cb -- check-base --color=always
expect_color "--color=always"
cb -- check-base --color=ALWAYS
expect_color "--color=ALWAYS (git takes any case)"
cb -- check-base --color=auto
expect_plain "--color=auto, a pipe"
cb -- check-base --color=never
expect_plain "--color=never"

note "the last of --color and --no-color wins"
cb -- check-base --no-color --color
expect_color "--no-color --color"
cb -- check-base --color --no-color
expect_plain "--color --no-color"
cb -- check-base --color=always --color=never
expect_plain "--color=always --color=never"

note "color.ui: always forces, true and auto mean auto, false and never turn it off"
for v in always ALWAYS; do
	git config color.ui "$v"
	cb -- check-base
	expect_color "color.ui=$v"
done
for v in true auto yes 1 false never off 0 ""; do
	git config color.ui "$v"
	cb -- check-base
	expect_plain "color.ui='$v', a pipe"
done
git config --unset color.ui

note "git -c color.ui=always (GIT_CONFIG_PARAMETERS), and a bare git -c color.ui (true: auto)"
cb "GIT_CONFIG_PARAMETERS='color.ui'='always'" -- check-base
expect_color "git -c color.ui=always"
cb "GIT_CONFIG_PARAMETERS='color.ui'" -- check-base
expect_plain "git -c color.ui, a pipe"

note "color.kvmx86 over color.ui, either way"
git config color.ui always
git config color.kvmx86 never
cb -- check-base
expect_plain "color.kvmx86=never over color.ui=always"
git config color.kvmx86 auto
cb -- check-base
expect_plain "color.kvmx86=auto over color.ui=always, a pipe"
git config color.ui never
git config color.kvmx86 always
cb -- check-base
expect_color "color.kvmx86=always over color.ui=never"

note "the command line over the configuration"
cb -- check-base --no-color
expect_plain "--no-color over color.kvmx86=always"
cb -- check-base --color=auto
expect_plain "--color=auto over color.kvmx86=always, a pipe"
git config color.kvmx86 never
cb -- check-base --color=always
expect_color "--color=always over color.kvmx86=never"
git config --unset color.kvmx86
cb -- check-base --color
expect_color "--color over color.ui=never"
git config --unset color.ui

note "NO_COLOR over everything, --color=always and color.ui=always included; empty is unset"
cb NO_COLOR=1 -- check-base --color=always
expect_plain "NO_COLOR=1 --color=always"
git config color.kvmx86 always
cb NO_COLOR=1 -- check-base
expect_plain "NO_COLOR=1, color.kvmx86=always"
git config --unset color.kvmx86
cb NO_COLOR= -- check-base --color=always
expect_color "an empty NO_COLOR"

note "TERM=dumb or unset turns auto off, not --color=always nor color.ui=always"
cb TERM=dumb -- check-base --color=always
expect_color "TERM=dumb --color=always"
cb -u TERM -- check-base --color=always
expect_color "no TERM, --color=always"
git config color.ui always
cb TERM=dumb -- check-base
expect_color "TERM=dumb, color.ui=always"
git config --unset color.ui

note "stderr: the same rule ('fatal:' in red)"
run_env -- check-base --color=always no-such-branch
expect_exit 128
grep -q $'\033\\[[0-9;]*mfatal:' "$ERR" || fail "no red fatal: with --color=always"
run_env NO_COLOR=1 -- check-base --color=always no-such-branch
expect_fatal
expect_plain "a fatal: with NO_COLOR"

note "every command that colours takes --color"
run_env -- prep --check --color x86/misc/bad-style
expect_exit 1
expect_color "prep --check --color"
git checkout -q x86/vmx/good-series
run_env -- test --color=always --rerun -- true
expect_exit 0
expect_color "test --color=always"
run_env -- test --rerun --no-color -- true
expect_exit 0
expect_plain "test --no-color"
run_env -- send --color=always --mbox "$T/none/x.mbox" x86/no-such-branch
expect_exit 128
grep -q $'\033\\[[0-9;]*mfatal:' "$ERR" || fail "send --color=always: no red fatal:"

note "--json never has colour, even with --color=always or color.ui=always"
git config color.ui always
for args in "check-base --json --color=always $wrong" "prep --check --json --color x86/misc/bad-style" \
	    "prep --suggest-topic --json --color=always" "test --json --rerun --color=always -- true"; do
	# shellcheck disable=SC2086
	run_env -- $args
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "$LAST_CMD: exit $RC"
	! grep -q $'\033' "$OUT" || fail "$LAST_CMD: an ESC in the JSON"
	jq -e . <"$OUT" >/dev/null || fail "$LAST_CMD: stdout is not JSON"
done
git config --unset color.ui

note "a bad --color value: bad usage (129) naming the option and the values, in every command"
for args in "check-base --color=sometimes" "prep --check --color=sometimes" \
	    "send --dry-run --color=sometimes" "test --color=sometimes -- true"; do
	# shellcheck disable=SC2086
	run_env -- $args
	expect_usage_error
	expect_stderr_contains "option '--color' expects 'always', 'never' or 'auto', not 'sometimes'"
done
run_env -- check-base --color=true
expect_usage_error
expect_stderr_contains "not 'true'"
run_env -- check-base --color=
expect_usage_error
run_env -- check-base --no-color=always
expect_usage_error
expect_stderr_contains "option '--no-color' takes no value"

note "a bad color.* value: a failure naming the key and the values, even with --no-color (as git)"
for key in color.ui color.kvmx86; do
	git config "$key" maybe
	for args in "check-base" "check-base --no-color" "prep --check" "send --dry-run" \
		    "test --rerun -- true" "prep --suggest-topic --json"; do
		# shellcheck disable=SC2086
		run_env -- $args
		expect_fatal "bad config value 'maybe' for '$key': expected always, never, auto or a boolean (true means auto)"
		expect_stderr_contains "git config --unset $key"
		expect_stdout_empty
	done
	git config --unset "$key"
done
run_env "GIT_CONFIG_PARAMETERS='color.ui'='sometimes'" -- check-base
expect_fatal "bad config value 'sometimes' for 'color.ui'"
git config color.pager maybe
run_env -- check-base
expect_fatal "bad config value 'maybe' for 'color.pager': expected a boolean"
git config --unset color.pager

note "git's pager (GIT_PAGER_IN_USE): auto colours stdout, unless color.pager is false or TERM dumb"
git checkout -q "$wrong"
cb GIT_PAGER_IN_USE=true -- check-base
expect_color "GIT_PAGER_IN_USE=true"
run_env GIT_PAGER_IN_USE=true -- check-base no-such-branch
expect_fatal
expect_plain "stderr, not the pager, with GIT_PAGER_IN_USE"
cb GIT_PAGER_IN_USE=false -- check-base
expect_plain "GIT_PAGER_IN_USE=false"
cb GIT_PAGER_IN_USE=true TERM=dumb -- check-base
expect_plain "GIT_PAGER_IN_USE, TERM=dumb"
cb GIT_PAGER_IN_USE=true NO_COLOR=1 -- check-base
expect_plain "GIT_PAGER_IN_USE, NO_COLOR"
cb GIT_PAGER_IN_USE=true -- check-base --color=never
expect_plain "GIT_PAGER_IN_USE, --color=never"
git config color.pager false
cb GIT_PAGER_IN_USE=true -- check-base
expect_plain "GIT_PAGER_IN_USE, color.pager=false"
cb GIT_PAGER_IN_USE=true -- check-base --color=always
expect_color "color.pager=false does not stop --color=always"
git config --unset color.pager

note "prep --compare-to: git range-diff gets kvmx86's decision"
send_identity
five_series x86/vmx/compare
sendmail_sink
run_kvmx86 send
expect_exit 0
git commit -q --amend -m "KVM: VMX: Change thing 5 again" \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_env -- prep --compare-to v1
expect_exit 0
expect_plain "--compare-to to a pipe"
run_env -- prep --compare-to v1 --color=always
expect_exit 0
expect_color "--compare-to --color=always"
git config color.ui always
run_env -- prep --compare-to v1
expect_exit 0
expect_color "--compare-to, color.ui=always"
run_env -- send --dry-run --json --color=always
[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "$LAST_CMD: exit $RC"
! grep -q $'\033' "$OUT" || fail "$LAST_CMD: an ESC in the JSON"
jq -e . <"$OUT" >/dev/null || fail "$LAST_CMD: stdout is not JSON"
run_env NO_COLOR=1 -- prep --compare-to v1 --color=always
expect_exit 0
expect_plain "--compare-to, NO_COLOR"
run_env -- prep --compare-to v1 --no-color
expect_exit 0
expect_plain "--compare-to --no-color"
git config --unset color.ui
run_env GIT_PAGER_IN_USE=true -- prep --compare-to v1
expect_exit 0
expect_color "--compare-to into git's pager"

# --- a terminal ---------------------------------------------------------------

need_tty


# tty_cb ENV... -- ARGS...: check-base ARGS $wrong on a terminal, exit 1.
tty_cb() {
	on_tty "$@" "$wrong"
	expect_exit 1 "$LAST_CMD"
	grep -q 'verdict:' "$OUT" || fail "$LAST_CMD: no verdict: $(cat -v "$OUT")"
}

note "a terminal: auto colours, and so do --color=auto, color.ui=auto and color.ui=true"
tty_cb -- check-base
expect_color "auto on a terminal"
tty_cb -- check-base --color=auto
expect_color "--color=auto on a terminal"
for v in auto true; do
	git config color.ui "$v"
	tty_cb -- check-base
	expect_color "color.ui=$v on a terminal"
done

note "a terminal: color.ui=never or false, color.kvmx86=never, --no-color, --color=never: none"
for v in never false; do
	git config color.ui "$v"
	tty_cb -- check-base
	expect_plain "color.ui=$v on a terminal"
done
git config color.ui auto
git config color.kvmx86 never
tty_cb -- check-base
expect_plain "color.kvmx86=never over color.ui=auto on a terminal"
git config --unset color.kvmx86
tty_cb -- check-base --no-color
expect_plain "--no-color over color.ui=auto on a terminal"
tty_cb -- check-base --color=never
expect_plain "--color=never on a terminal"

note "a terminal: the command line's auto over color.ui=never"
git config color.ui never
tty_cb -- check-base --color=auto
expect_color "--color=auto over color.ui=never on a terminal"
tty_cb -- check-base --color
expect_color "--color over color.ui=never on a terminal"
git config --unset color.ui

note "a terminal: NO_COLOR and TERM=dumb turn auto off, whatever asks for auto"
git config color.ui true
tty_cb NO_COLOR=1 -- check-base --color=auto
expect_plain "NO_COLOR, --color=auto on a terminal"
tty_cb TERM=dumb -- check-base --color=auto
expect_plain "TERM=dumb, --color=auto on a terminal"
tty_cb TERM=dumb -- check-base
expect_plain "TERM=dumb, color.ui=true on a terminal"
tty_cb NO_COLOR=1 -- check-base --color=always
expect_plain "NO_COLOR, --color=always on a terminal"
git config --unset color.ui

note "a terminal, --json --color=always: no colour"
on_tty -- check-base --json --color=always x86/vmx/good-series
expect_exit 0
expect_plain "--json on a terminal"

note "git -p kvmx86: git's own pager, where auto colours"
mkdir -p "$T/bin"
ln -sf "$KVMX86" "$T/bin/git-kvmx86"
cmd=$(printf '%q ' env "PATH=$T/bin:$PATH" "GIT_PAGER=cat >$T/paged" git -p kvmx86 check-base "$wrong")
LAST_CMD="(tty) $cmd"
SHELL=/bin/sh script -qec "$cmd" /dev/null </dev/null >"$OUT" 2>"$ERR" || true
grep -q 'verdict:' "$T/paged" || fail "git -p kvmx86: nothing paged: $(cat -v "$OUT")"
grep -q $'\033\\[[0-9;]*m' "$T/paged" || fail "git -p kvmx86: no colour in the pager"
cmd=$(printf '%q ' env "PATH=$T/bin:$PATH" "GIT_PAGER=cat >$T/paged" git -c color.pager=false \
	-p kvmx86 check-base "$wrong")
LAST_CMD="(tty) $cmd"
SHELL=/bin/sh script -qec "$cmd" /dev/null </dev/null >"$OUT" 2>"$ERR" || true
grep -q 'verdict:' "$T/paged" || fail "git -p kvmx86: nothing paged"
! grep -q $'\033' "$T/paged" || fail "git -c color.pager=false -p kvmx86: colour in the pager"
