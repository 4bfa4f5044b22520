#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test --kernel over a real distccd on loopback: kvmx86.distccHosts
# (or DISTCC_HOSTS) makes the kernel preset build with CC="distcc gcc" and
# HOSTCC local, make's -j from the hosts' slots, shared by -j's worktrees;
# the daemon's log shows the compile jobs arrived, the summary and the
# testing statement say where they ran; ccache in CC is kept as it is, its
# misses handed to distcc.  The stand-in kbuild (kbuild-lib.sh) compiles
# through $(CC) and its host tool through $(HOSTCC).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kbuild-lib.sh"

command -v cc >/dev/null || skip "no C compiler"
command -v make >/dev/null || skip "no make"
command -v distcc >/dev/null && command -v distccd >/dev/null ||
	skip "no distcc (Debian's distcc package)"
# Debian's distccd runs only the compilers linked in /usr/lib/distcc
[ -e /usr/lib/distcc/gcc ] || [ -e /usr/lib/distcc/x86_64-linux-gnu-gcc ] ||
	skip "distccd would run no gcc: /usr/lib/distcc has no gcc"

# distccd on loopback, logging to a file the test opens (as root it runs
# as the distcc user, which may not write below $T)
start_distccd() {
	local i
	for i in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20000))
		: >"$T/distccd.log"
		distccd --no-detach --daemon --allow 127.0.0.1 \
			--listen 127.0.0.1 --port "$port" --jobs 2 \
			--log-stderr --log-level info 2>>"$T/distccd.log" &
		distccd_pid=$!
		stop_at_exit $distccd_pid
		for _ in $(seq 50); do
			grep -q "listening on" "$T/distccd.log" && return 0
			kill -0 $distccd_pid 2>/dev/null || break
			sleep 0.1
		done
		kill $distccd_pid 2>/dev/null || true
	done
	fail "distccd did not start: $(cat "$T/distccd.log")"
}
# jobs_arrived FILE: how many compile jobs distccd completed
jobs_arrived() {
	grep -c "COMPILE_OK" "$T/distccd.log" || true
}

make_kernel_tree "$T/linux"
git checkout -q -b x86/misc/spread
for i in 1 2 3; do
	printf 'int kvm_%s(void) { return %s; }\n' "$i" "$i" >>arch/x86/kvm/x86.c
	git commit -q -am "KVM: x86: Add $i"
done
run_kvmx86 prep --enroll --base master
expect_exit 0
start_distccd

note "kvmx86.distccHosts: each commit's compile jobs go to the distccd"
git config kvmx86.distccHosts "127.0.0.1:$port/3"
run_env DISTCC_FALLBACK=0 -- test --kernel --no-link --json
expect_exit 0
expect_json '[.results[].status] | join(" ")' "pass pass pass"
arrived=$(jobs_arrived)
# one compile of arch/x86/kvm/ at each commit; fixdep is a host tool
[ "$arrived" = 3 ] || fail "distccd completed $arrived jobs, not 3: $(cat "$T/distccd.log")"
grep -q "COMPILE_OK .* arch/x86/kvm/x86.c" "$T/distccd.log" ||
	fail "not the kernel's compile: $(cat "$T/distccd.log")"
grep -q "fixdep" "$T/distccd.log" && fail "a host tool was sent to distcc"
expect_json '.compile_jobs' "3 of 3 compile jobs on 1 distcc host (-j3)"
expect_json '.testing_statement | gsub("\n"; " ") | test("The builds went through distcc: 3 of their 3 compile jobs ran on 1 distcc host\\.")' true
log=$(jq -r '.results[0].log' "$OUT")
grep -q "^# kvmx86 test: .* -j3 .*'CC=distcc gcc' HOSTCC=gcc arch/x86/kvm/" "$log" ||
	fail "not make's command line for distcc: $(grep '^#' "$log")"

note "the text output says where the jobs ran"
run_env DISTCC_FALLBACK=0 -- test --kernel --no-link --rerun
expect_exit 0
expect_stdout_contains "3 of 3 compile jobs on 1 distcc host (-j3)"

note "the cover letter's testing statement records it"
run_kvmx86 prep --cover --offline
expect_exit 0
# wrapped at 72 columns
tr '\n' ' ' <"$OUT" | grep -q "The builds went through distcc: 3 of their 3 compile jobs ran on 1 *distcc host\." ||
	fail "the statement does not say where the builds ran"

note "DISTCC_HOSTS in the environment does the same; -j 2 shares its slots"
git config --unset kvmx86.distccHosts
before=$(jobs_arrived)
run_env DISTCC_FALLBACK=0 "DISTCC_HOSTS=127.0.0.1:$port/4" -- test --kernel --no-link --rerun --json -j 2
expect_exit 0
expect_json '[.results[].status] | join(" ")' "pass pass pass"
[ "$(jobs_arrived)" = $((before + 3)) ] ||
	fail "distccd completed $(($(jobs_arrived) - before)) jobs, not 3"
# two worktrees, 4 slots: -j2 each, not -j4 each
expect_json '.compile_jobs' "3 of 3 compile jobs on 1 distcc host (-j2)"
for l in $(jq -r '.results[].log' "$OUT"); do
	grep -q "^# kvmx86 test: .* -j2 .*'CC=distcc gcc'" "$l" ||
		fail "-j 2 did not share the slots: $(grep '^#' "$l")"
done

note "a host that does not answer: distcc compiles here, and the summary says so"
run_env DISTCC_FALLBACK=1 "DISTCC_HOSTS=127.0.0.1:9/2" -- test --kernel --no-link --rerun --json
expect_exit 0
expect_json '.compile_jobs' "0 of 3 compile jobs on 1 distcc host (-j2)"

note "ccache in CC is kept; its misses go to distcc"
if command -v ccache >/dev/null; then
	before=$(jobs_arrived)
	run_env DISTCC_FALLBACK=0 "DISTCC_HOSTS=127.0.0.1:$port/2" \
		"CC=ccache gcc" CCACHE_DIR="$T/ccache" -- test --kernel --no-link --rerun --json
	expect_exit 0
	log=$(jq -r '.results[0].log' "$OUT")
	grep -q "^# kvmx86 test: .* 'CC=ccache gcc' HOSTCC=gcc" "$log" ||
		fail "CC was not kept: $(grep '^#' "$log")"
	[ "$(jobs_arrived)" = $((before + 3)) ] ||
		fail "ccache's misses did not go to distcc"
else
	note "(no ccache: skipped)"
fi

note "both distcc and icecream: refused"
git config kvmx86.icecc true
run_env "DISTCC_HOSTS=127.0.0.1:$port" -- test --kernel --no-link --rerun
expect_fatal "both kvmx86.distccHosts (or DISTCC_HOSTS) and kvmx86.icecc are set"
git config --unset kvmx86.icecc
run_env "DISTCC_HOSTS=--randomize" -- test --kernel --no-link --rerun
expect_fatal "names no host"
true
