# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the kvmx86 integration tests (tests/integration/t-*.sh).
# Each test sources this file first:
#
#	. "$(dirname "$0")/lib.sh"
#
# Environment (set by tests/integration/meson.build):
#	KVMX86			the kvmx86 binary under test
#	SAMPLE_REPO_SCRIPT	scripts/make-sample-repo
#	SAMPLE_REPO_TEMPLATE	optional: a repository the script already built
#				(copied instead of running the script again)
#	KVMX86_VERSION		optional: the version --version must print
#	KEEP_TMP=1		keep the temporary directory (debugging)
#
# Exit status follows meson: 0 pass, 77 skip, anything else fail.

set -eEu

: "${KVMX86:?set KVMX86 to the kvmx86 binary}"
: "${SAMPLE_REPO_SCRIPT:?set SAMPLE_REPO_SCRIPT to scripts/make-sample-repo}"

TEST_NAME=$(basename "$0" .sh)

# --- a private, clean environment ---------------------------------------------

T=$(mktemp -d "${TMPDIR:-/tmp}/kvmx86-$TEST_NAME.XXXXXX")
T=$(cd "$T" && pwd -P)

# Processes the test started in the background (stop_at_exit PID): servers.
BACKGROUND_PIDS=()

# stop_at_exit PID: the cleanup stops PID (TERM, then KILL after 2 s).
stop_at_exit() {
	BACKGROUND_PIDS+=("$1")
}

stop_background() {
	local pid i
	for pid in "${BACKGROUND_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${BACKGROUND_PIDS[@]}"; do
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	BACKGROUND_PIDS=()
}

cleanup() {
	local rc=$?
	stop_background
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "# kept $T" >&2
	else
		# Make everything removable first (git makes objects read-only).
		chmod -R u+w "$T" 2>/dev/null || true
		rm -rf "$T"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A failing command (set -e) says where it failed.
trap 'echo "FAIL: $TEST_NAME: line $LINENO: failed: $BASH_COMMAND" >&2' ERR

# kvmx86 and git read GIT_CONFIG_GLOBAL; set HOME and XDG_CONFIG_HOME too
# point them all at empty files so the user's configuration cannot leak in.
mkdir -p "$T/home/.config/git"
: >"$T/home/.gitconfig"
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$T/home/.gitconfig"
export GIT_AUTHOR_NAME="Tess Ting" GIT_AUTHOR_EMAIL="tess@example.com"
export GIT_COMMITTER_NAME="Tess Ting" GIT_COMMITTER_EMAIL="tess@example.com"
export LC_ALL=C TZ=UTC GIT_TERMINAL_PROMPT=0 GIT_PAGER=cat PAGER=cat
export GIT_ADVICE=0
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_NAMESPACE GIT_CEILING_DIRECTORIES \
	GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT NO_COLOR GIT_PAGER_IN_USE \
	GIT_EDITOR GIT_SEQUENCE_EDITOR 2>/dev/null || true
export GIT_EDITOR=true
# The tests never touch the network: any attempt fails fast.
export GIT_ALLOW_PROTOCOL=file
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
	HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
	ALL_PROXY=http://127.0.0.1:9 no_proxy='' NO_PROXY=''

OUT="$T/stdout"
ERR="$T/stderr"
RC=

# --- reporting ------------------------------------------------------------------

# note MESSAGE: a progress line on stderr (shown by meson test -v).
note() {
	echo "# $TEST_NAME: $*" >&2
}

# fail MESSAGE: fails the test, with the last kvmx86 run's output.
fail() {
	{
		echo "FAIL: $TEST_NAME: $*"
		if [ -n "${LAST_CMD:-}" ]; then
			echo "--- last command (in ${LAST_DIR:-?}): $LAST_CMD"
			echo "--- exit status: ${RC:-?}"
			echo "--- stdout:"
			cat "$OUT" 2>/dev/null || true
			echo "--- stderr:"
			cat "$ERR" 2>/dev/null || true
			echo "---"
		fi
	} >&2
	exit 1
}

# skip REASON: meson's "skipped" (exit 77).
skip() {
	echo "SKIP: $TEST_NAME: $*" >&2
	exit 77
}

# --- running kvmx86 -----------------------------------------------------------

# run_kvmx86 ARGS...: runs kvmx86 in the current directory; sets RC, and
# leaves stdout in $OUT, stderr in $ERR.  Never fails by itself.
run_kvmx86() {
	LAST_CMD="kvmx86$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	"$KVMX86" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# run_env ENV=VALUE... -- ARGS...: run_kvmx86 with extra environment.
run_env() {
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	LAST_CMD="${envs[*]} kvmx86$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	env "${envs[@]}" "$KVMX86" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# expect_exit N [WHAT]
expect_exit() {
	[ "$RC" = "$1" ] || fail "${2:-}${2:+: }expected exit status $1, got $RC"
}

# expect_json JQ-FILTER VALUE: `jq -r FILTER` of stdout must print VALUE
# (null prints as null, true as true, numbers as digits).
expect_json() {
	local got
	got=$(jq -r "$1" <"$OUT" 2>&1) ||
		fail "stdout is not JSON, or jq '$1' failed: $got"
	[ "$got" = "$2" ] || fail "json $1: expected '$2', got '$got'"
}

# expect_json_true JQ-EXPRESSION [WHAT]: the expression must be true.
expect_json_true() {
	local got
	got=$(jq -e "$1" <"$OUT" 2>&1) ||
		fail "${2:-json}: jq -e '$1' is not true (got '$got')"
}

# json JQ-FILTER: prints `jq -r FILTER` of the last stdout.
json() {
	jq -r "$1" <"$OUT"
}

# expect_stdout_contains STRING (fixed string)
expect_stdout_contains() {
	grep -qF -e "$1" "$OUT" || fail "stdout lacks '$1'"
}

expect_stdout_lacks() {
	! grep -qF -e "$1" "$OUT" || fail "stdout has '$1'"
}

# expect_stdout_matches ERE
expect_stdout_matches() {
	grep -qE -e "$1" "$OUT" || fail "stdout does not match /$1/"
}

expect_stderr_contains() {
	grep -qF -e "$1" "$ERR" || fail "stderr lacks '$1'"
}

expect_stderr_lacks() {
	! grep -qF -e "$1" "$ERR" || fail "stderr has '$1'"
}

expect_stderr_matches() {
	grep -qE -e "$1" "$ERR" || fail "stderr does not match /$1/"
}

expect_stdout_empty() {
	[ ! -s "$OUT" ] || fail "stdout is not empty"
}

expect_stderr_nonempty() {
	[ -s "$ERR" ] || fail "stderr is empty"
}

# expect_stdout_is TEXT: stdout is exactly TEXT and a newline.
expect_stdout_is() {
	local want got
	want=$(printf '%s\n' "$1" | od -An -c)
	got=$(od -An -c <"$OUT")
	[ "$got" = "$want" ] || fail "stdout is not exactly '$1'"
}

# expect_fatal [HINT-STRING]: exit 128, "fatal:" on stderr, the hint if given.
expect_fatal() {
	expect_exit 128
	grep -q '^fatal: ' "$ERR" || fail "no 'fatal: ' line on stderr"
	if [ $# -gt 0 ]; then
		expect_stderr_contains "$1"
	fi
}

# expect_usage_error: exit 129, nothing on stdout, something on stderr.
expect_usage_error() {
	expect_exit 129
	expect_stderr_nonempty
	expect_stdout_empty
}

# expect_verdict VERDICT: the text output's verdict line (which may go on,
# e.g. "behind (19 commits behind)").
expect_verdict() {
	grep -qE "^verdict: +$1( .*)?\$" "$OUT" || fail "text verdict is not '$1'"
}

# expect_no_esc: no ESC byte on stdout nor stderr.
expect_no_esc() {
	! grep -q $'\033' "$OUT" || fail "stdout has an ESC byte"
	! grep -q $'\033' "$ERR" || fail "stderr has an ESC byte"
}

# --- repositories ---------------------------------------------------------------

# sample_repo [DIR]: builds the sample repository (default $T/repo), prints
# its path.
sample_repo() {
	local dir=${1:-$T/repo} tpl=${SAMPLE_REPO_TEMPLATE:-}
	if [ -n "$tpl" ] && [ -f "$tpl/.git/sample-manifest.txt" ] &&
	   [ "$tpl/.git/sample-manifest.txt" -nt "$SAMPLE_REPO_SCRIPT" ] &&
	   [ ! -e "$dir" ]; then
		cp -a "$tpl" "$dir" || fail "cannot copy $tpl"
	else
		"$SAMPLE_REPO_SCRIPT" "$dir" >/dev/null ||
			fail "make-sample-repo $dir failed"
	fi
	printf '%s\n' "$dir"
}

# mf KEY [REPO]: a value from the sample repository's manifest.
mf() {
	local repo=${2:-$T/repo} line
	while IFS= read -r line; do
		case "$line" in
		"$1="*)
			printf '%s\n' "${line#*=}"
			return 0
			;;
		esac
	done <"$repo/.git/sample-manifest.txt"
	fail "manifest has no '$1'"
}

# sha REV: the full commit id.
sha() {
	git rev-parse --verify -q "$1^{commit}" || fail "no commit '$1'"
}

# short REV: the 12-hex abbreviation (as in remedies).
short() {
	git rev-parse --verify -q --short=12 "$1^{commit}" || fail "no commit '$1'"
}

# add_lines FILE: appends stdin to FILE (in the current work tree).
add_lines() {
	mkdir -p "$(dirname "$1")"
	cat >>"$1"
}

# commit_all SUBJECT [BODY]: commits every change, with a sign-off.
commit_all() {
	git add -A
	if [ $# -gt 1 ]; then
		git commit -q --no-verify -s -m "$1" -m "$2"
	else
		git commit -q --no-verify -s -m "$1"
	fi
}

# commit_append FILE SUBJECT: appends stdin to FILE and commits it.
commit_append() {
	add_lines "$1"
	commit_all "$2"
}

# new_branch NAME START: a branch (no upstream) checked out at START.
new_branch() {
	git checkout -q --no-track -b "$1" "$2"
}

# x86_commit [N]: appends a small x86 function to arch/x86/kvm/x86.c and
# commits it (N distinguishes the function).
x86_commit() {
	local n=${1:-1}
	commit_append arch/x86/kvm/x86.c "KVM: x86: Add helper number $n" <<EOF

static bool kvm_test_helper_$n(struct kvm_vcpu *vcpu)
{
	if (!vcpu->arch.apic)
		return false;

	return kvm_lapic_enabled(vcpu) && $n > 0;
}
EOF
}

# --- kvmx86 prep (tests/integration/t-prep-*.sh) --------------------------------

# state_dir: <git-common-dir>/kvmx86/state of the current repository.
state_dir() {
	printf '%s/kvmx86/state\n' \
		"$(git rev-parse --path-format=absolute --git-common-dir)"
}

# state_name BRANCH: the state file's name ('%' -> %25, '/' -> %2F, .json).
state_name() {
	printf '%s.json\n' "$(printf '%s' "$1" | sed -e 's/%/%25/g' -e 's,/,%2F,g')"
}

# state_file BRANCH: the full path of BRANCH's state file.
state_file() {
	printf '%s/%s\n' "$(state_dir)" "$(state_name "$1")"
}

# read_state BRANCH: puts BRANCH's state file in $OUT (for expect_json and
# json); fails if there is none.
read_state() {
	local f
	f=$(state_file "$1")
	LAST_CMD="cat $f"
	LAST_DIR=$PWD
	RC=0
	: >"$ERR"
	[ -f "$f" ] || fail "no state file $f"
	cp "$f" "$OUT"
}

# expect_state_exists BRANCH / expect_no_state BRANCH
expect_state_exists() {
	[ -f "$(state_file "$1")" ] || fail "no state file for '$1' ($(state_file "$1"))"
}
expect_no_state() {
	[ ! -e "$(state_file "$1")" ] || fail "a state file exists for '$1'"
}

# refs_snapshot FILE: every ref with its object id, and HEAD, into FILE.
refs_snapshot() {
	{
		git for-each-ref --format='%(objectname) %(refname)'
		printf 'HEAD %s %s\n' "$(git rev-parse HEAD)" \
			"$(git symbolic-ref -q HEAD || echo detached)"
	} >"$1"
}

# expect_refs_unchanged FILE [WHAT]: no ref (nor HEAD) moved, appeared or
# disappeared since refs_snapshot FILE.
expect_refs_unchanged() {
	local now="$T/refs.now"
	refs_snapshot "$now"
	if ! diff -u "$1" "$now" >"$T/refs.diff"; then
		cat "$T/refs.diff" >&2
		fail "${2:-}${2:+: }refs changed (diff above)"
	fi
}

# expect_same_file A B [WHAT]: A and B are byte-identical.
expect_same_file() {
	cmp -s "$1" "$2" || fail "${3:-}${3:+: }$1 changed"
}

# info_value KEY: the value of "KEY: value" in stdout (--show-info); fails
# if there is no such line, or several.
info_value() {
	local n
	n=$(grep -c -E "^$1:( |\$)" "$OUT" || true)
	[ "$n" = 1 ] || fail "--show-info: $n lines for '$1'"
	sed -n -E "s/^$1:( |\$)//p" "$OUT"
}

# expect_info KEY VALUE: stdout (--show-info) has the line "KEY: VALUE".
expect_info() {
	local got
	got=$(info_value "$1")
	[ "$got" = "$2" ] || fail "--show-info $1: expected '$2', got '$got'"
}

# make_editor PATH CONTENT-FILE [LOG]: a script for GIT_EDITOR that copies
# the file it is given to LOG (if any), then writes CONTENT-FILE into it.
make_editor() {
	mkdir -p "$(dirname "$1")"
	{
		echo '#!/bin/sh'
		echo 'for f; do :; done'
		if [ -n "${3:-}" ]; then
			echo "cp \"\$f\" '$3'"
			echo "printf '%s\\n' \"\$@\" >'$3.args'"
		fi
		echo "cat '$2' >\"\$f\""
	} >"$1"
	chmod +x "$1"
}

# need_b4: skips unless Debian's b4 and git-filter-repo are there; sets up
# what b4 needs (user.name/email, a sendmail stand-in that keeps every
# message in $T/sent.mbox, so that `b4 send` works with no network).
need_b4() {
	command -v b4 >/dev/null 2>&1 || skip "b4 is not installed"
	command -v git-filter-repo >/dev/null 2>&1 ||
		skip "git-filter-repo is not installed"
	git config user.name "$GIT_AUTHOR_NAME"
	git config user.email "$GIT_AUTHOR_EMAIL"
	cat >"$T/sendmail" <<EOS
#!/bin/sh
echo "\$*" >>'$T/sent.args'
cat >>'$T/sent.mbox'
EOS
	chmod +x "$T/sendmail"
	git config sendemail.smtpserver "$T/sendmail"
	# b4's "web endpoint" must never be used.
	git config b4.send-endpoint-web ''
}

# b4_run ARGS...: runs b4 (stdin: a newline, for b4 send's "Press Enter");
# fails the test with b4's output if b4 fails.
b4_run() {
	local rc=0
	echo | b4 "$@" >"$T/b4.out" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		cat "$T/b4.out" >&2
		LAST_CMD=
		fail "b4 $* failed with status $rc (output above)"
	fi
}

# b4_cover_editor TEXT-FILE: prints an EDITOR value for `b4 prep
# --edit-cover` that writes TEXT-FILE as the cover.
b4_cover_editor() {
	local ed="$T/b4-editor-$RANDOM"
	make_editor "$ed" "$1"
	printf '%s\n' "$ed"
}

# b4_tracking_json COMMIT: the JSON under "--- b4-submit-tracking ---" in
# COMMIT's message (b4's commit strategy).
b4_tracking_json() {
	git log -1 --format=%B "$1" |
		sed -e '1,/^--- b4-submit-tracking ---$/d' -e '/^#/d'
}

# make_sent_tag NAME REVISION BASE TIP: the annotated tag sent/NAME-vREVISION
# as b4 0.12 makes it after a send: on a copy of the series (BASE..TIP
# cherry-picked onto BASE, detached), its message the cover letter with
# "base-commit: BASE" and "change-id:" at the bottom (b4 drops the
# signature after "-- ").  Prints the copy's tip.
make_sent_tag() {
	local name=$1 rev=$2 base tip c copy
	base=$(git rev-parse "$3^{commit}")
	tip=$(git rev-parse "$4^{commit}")
	copy=$base
	for c in $(git rev-list --reverse "$base..$tip"); do
		copy=$(git log -1 --format=%B "$c" |
			GIT_AUTHOR_NAME="$(git log -1 --format=%an "$c")" \
			GIT_AUTHOR_EMAIL="$(git log -1 --format=%ae "$c")" \
			GIT_AUTHOR_DATE="$(git log -1 --format=%ad --date=raw "$c")" \
			git commit-tree "$c^{tree}" -p "$copy")
	done
	git tag -a -F - "sent/$name-v$rev" "$copy" <<EOS
Cover letter of $name v$rev

Some words about the series.

---
$(git shortlog "$base..$copy")

$(git diff --stat "$base" "$copy")
---
base-commit: $base
change-id: 20230101-$name-0123456789ab

Best regards,
EOS
	printf '%s\n' "$copy"
}

# b4_slug NAME: b4's slug, re.sub(r'\W+', '-', NAME).strip('-').lower().
b4_slug() {
	printf '%s' "$1" | sed -E 's/[^[:alnum:]_]+/-/g; s/^-+//; s/-+$//' |
		tr '[:upper:]' '[:lower:]'
}

# b4_desc_state BRANCH REVISION [SENT-REVISION...]: the b4 0.12
# "branch-description" state of BRANCH, written by hand as b4 writes it
# (see ../shared/docs/b4-notes.md, section 4): branch.<b>.description (kept
# if set), branch.<b>.b4-prep-cover-strategy, and branch.<b>.b4-tracking,
# one line of JSON with a history entry (a cover msgid) per SENT-REVISION.
# Prints the change-id.
b4_desc_state() {
	local b=$1 rev=$2 slug hist="" r
	shift 2
	slug=$(b4_slug "$b")
	for r; do
		hist="$hist${hist:+, }\"v$r\": [\"20230101-$slug-v$r-0-0123456789ab@example.com\"]"
	done
	git config --get "branch.$b.description" >/dev/null ||
		git config "branch.$b.description" "$(printf 'KVM: Cover of %s\n\nBody of the cover.\n' "$b")"
	git config "branch.$b.b4-prep-cover-strategy" branch-description
	git config "branch.$b.b4-tracking" "{\"series\": {\"revision\": $rev, \"change-id\": \"20230101-$slug-0123456789ab\", \"base-branch\": null, \"prefixes\": []${hist:+, \"history\": {$hist\}}}}"
	printf '20230101-%s-0123456789ab\n' "$slug"
}

# b4_msgid BRANCH REVISION: the cover msgid b4_desc_state records.
b4_msgid() {
	printf '20230101-%s-v%s-0-0123456789ab@example.com\n' "$(b4_slug "$1")" "$2"
}

# need_tty: skips the test where script(1) cannot give a pseudo-terminal.
need_tty() {
	command -v script >/dev/null || skip "no script(1) for a pseudo-terminal"
	SHELL=/bin/sh script -qec 'test -t 1' /dev/null </dev/null >/dev/null 2>&1 ||
		skip "script(1) cannot give a pseudo-terminal here"
}

# on_tty VAR=VALUE... -- ARGS...: kvmx86 ARGS, with the VARs in its
# environment, on a pseudo-terminal (util-linux script); the terminal's
# output (stdout and stderr) goes to $OUT.
on_tty() {
	local envs=() cmd
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	cmd=$(printf '%q ' env "${envs[@]}" "$KVMX86" "$@")
	LAST_CMD="(tty) $cmd"
	LAST_DIR=$PWD
	RC=0
	SHELL=/bin/sh script -qec "$cmd" /dev/null </dev/null >"$OUT" 2>"$ERR" ||
		RC=$?
}

# answer_on_tty INPUT ARGS...: kvmx86 ARGS on a pseudo-terminal that types
# INPUT; what the terminal shows goes to $OUT.
answer_on_tty() {
	local input=$1 cmd
	shift
	cmd=$(printf '%q ' exec "$KVMX86" "$@")
	LAST_CMD="(tty) $cmd"
	LAST_DIR=$PWD
	RC=0
	printf '%s' "$input" | SHELL=/bin/sh script -qec "$cmd" /dev/null >"$OUT" 2>"$ERR" ||
		RC=$?
}
