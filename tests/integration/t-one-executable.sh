#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 is one executable: it loads no module of its own and starts no
# second kvmx86 program, and nothing passes between its parts through the
# environment, so no variable the caller sets can make it signal, close
# or read what it did not create (an inherited KVMX86_COVER_PREFETCH once
# made prep --cover kill an unrelated process).
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null 2>&1 || skip "no strace"
bindir=$(dirname "$KVMX86")
# LeakSanitizer cannot run under ptrace: the sanitizer build's leak
# checks are the other tests' business
lsan_off=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

note "no shared object beside the executable"
so=$(find "$bindir" -maxdepth 1 -type f -name '*.so*' -print)
[ -z "$so" ] || fail "a module beside $KVMX86: $so"

main=$(sample_repo)
cd "$main"
git checkout -q x86/vmx/good-series
run_kvmx86 prep --enroll
expect_exit 0

# traced ARGS...: runs kvmx86 ARGS under strace; $T/trace has execve and
# openat of every process it started
traced() {
	ASAN_OPTIONS=$lsan_off strace -f -qq -e trace=execve,openat -o "$T/trace" \
		"$KVMX86" "$@" >"$OUT" 2>"$ERR" && RC=0 || RC=$?
}

note "each command opens no kvmx86 module and runs no other kvmx86 program"
for args in "--version" "prep --show-info" "prep --show-info end-commit" \
	"check-base" "prep --check" "prep --cover --offline" "help prep"; do
	# shellcheck disable=SC2086
	traced $args
	expect_exit 0 "kvmx86 $args"
	if grep -E 'openat\(.*\.so(\.[0-9]+)*"' "$T/trace" | grep -vE '"(/usr)?/lib(64|/x86_64-linux-gnu)?/' |
		grep -v 'ENOENT' >"$T/so"; then
		fail "kvmx86 $args opened a shared object of its own: $(head -n 3 "$T/so")"
	fi
	grep -qi 'kvmx86-cmd\|kvmx86.*\.so' "$T/trace" &&
		fail "kvmx86 $args looked for a module"
	# the first execve is kvmx86 itself; any other is git
	grep 'execve(' "$T/trace" | grep -v ' = -1 ' | tail -n +2 |
		grep -v 'execve("[^"]*/git"' >"$T/exec" || true
	[ ! -s "$T/exec" ] || fail "kvmx86 $args ran a program other than git: $(head -n 3 "$T/exec")"
done
# --version and a cached --show-info start nothing at all
for args in "--version" "prep --show-info"; do
	# shellcheck disable=SC2086
	traced $args
	[ "$(grep -c 'execve(' "$T/trace")" = 1 ] ||
		fail "kvmx86 $args started a process: $(grep 'execve(' "$T/trace" | sed -n 2p)"
done

note "with the bundled libgit2, zlib is loaded when an object is read, not at start"
if "$KVMX86" --version | grep -q 'bundled'; then
	for args in "--version" "prep --show-info"; do
		# shellcheck disable=SC2086
		traced $args
		expect_exit 0 "kvmx86 $args"
		! grep 'openat(' "$T/trace" | grep -v ENOENT | grep -q 'libz\.so' ||
			fail "kvmx86 $args loaded zlib"
	done
	traced prep --check
	expect_exit 0 "kvmx86 prep --check"
	grep 'openat(' "$T/trace" | grep -v ENOENT | grep -q 'libz\.so\.1' ||
		fail "kvmx86 prep --check read objects without loading zlib"
	grep -q 'libz\.so' <(ldd "$KVMX86" 2>/dev/null) &&
		fail "kvmx86 links zlib: $(ldd "$KVMX86" | grep libz)"
fi

note "the only KVMX86_ variable the executable knows is the user's trace switch"
vars=$(strings -a "$KVMX86" | grep -oE '^KVMX86_[A-Z0-9_]+$' | sort -u | tr '\n' ' ')
[ "$vars" = "KVMX86_TRACE_PERFORMANCE " ] || fail "kvmx86 reads variables: $vars"

note "an inherited KVMX86_COVER_PREFETCH signals, closes and reads nothing"
run_kvmx86 prep --cover --offline
expect_exit 0
cp "$OUT" "$T/letter"
range=$("$KVMX86" prep --show-info series-range | sed 's/^series-range: //')
other=0000000000000000000000000000000000000000..${range#*..}
sleep 300 &
victim=$!
stop_at_exit "$victim"
echo "not a diffstat" >"$T/bait"
cache=.git/kvmx86/cache/x86%2Fvmx%2Fgood-series.range
for hand_off in "$other $victim 9" \
	"$range $victim 9"; do
	# no range cache: nothing of kvmx86's own could have set the variable
	rm -f "$cache"
	KVMX86_COVER_PREFETCH=$hand_off ASAN_OPTIONS=$lsan_off strace -f -qq -e trace=kill,close,read \
		-o "$T/trace" "$KVMX86" prep --cover --offline 9<"$T/bait" \
		>"$OUT" 2>"$ERR" && RC=0 || RC=$?
	expect_exit 0 "prep --cover with KVMX86_COVER_PREFETCH=$hand_off"
	kill -0 "$victim" 2>/dev/null || fail "kvmx86 killed a process it did not start"
	grep -E "kill\($victim," "$T/trace" && fail "kvmx86 signalled $victim"
	grep -E '(close|read)\(9[,)]' "$T/trace" && fail "kvmx86 used an inherited descriptor"
	cmp -s "$T/letter" "$OUT" || fail "the letter changed with KVMX86_COVER_PREFETCH=$hand_off"
done
exit 0
