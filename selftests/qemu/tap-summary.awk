# SPDX-License-Identifier: GPL-2.0-only
#
# Tally the kselftest TAP that the guest printed, across all test binaries,
# and end with exactly one line: "N passed, N failed, N skipped".
#
# Input: the test portion of results.log (several "TAP version 13" streams one
# after another, each from one kselftest_harness binary).
# Variables (awk -v):
#   extra_failed=N     failures the runner found itself (rmmod, kernel
#                      report, hang); it has printed their "not ok" lines.
#   require_results=1  no result at all counts as one failure: a check run
#                      that ran nothing must not look green.
#
# Before the tally it lists every failure as "# failed: BINARY: not ok ..."
# (the binary from guest-check.sh's "# guest-check: NAME" line), so that the
# end of a long log says which tests failed.
#
# Only result lines at column 0 count; indented or "# "-prefixed lines are
# subtests or comments, which is how wrappers must print their own verdicts.

function close_stream() {
	# A binary that died mid-plan printed fewer results than it planned;
	# the ones it never reached are failures, not silence.
	if (planned >= 0 && seen < planned) {
		printf "not ok - %d of %d planned results missing (test binary crashed or bailed out?)\n", planned - seen, planned
		fails[nfails++] = binary ": " (planned - seen) " planned results missing"
		failed += planned - seen
	}
	planned = -1
	seen = 0
}

BEGIN {
	passed = failed = skipped = 0
	planned = -1
	seen = 0
	extra_failed += 0
	nfails = 0
	binary = "?"
}

{ sub(/\r$/, "") }

/^# guest-check: [A-Za-z0-9_.-]+$/ {
	binary = $3
	next
}

/^TAP version / {
	close_stream()
	next
}

/^1\.\.[0-9]+/ {
	# A second plan without a new header is a new stream too.
	if (planned >= 0)
		close_stream()
	planned = substr($1, 4) + 0
	# "1..0 # SKIP reason": the whole binary was skipped.
	if (planned == 0 && $0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/)
		skipped++
	next
}

/^(not )?ok( |$)/ {
	seen++
	# TAP directives: SKIP on either verdict is a skip; TODO marks a known
	# failure and XFAIL an expected one, neither of which fails the run.
	directive = ""
	if (match($0, /#[ \t]*[A-Za-z]+/))
		directive = toupper(substr($0, RSTART, RLENGTH))
	gsub(/[# \t]/, "", directive)
	if (directive == "SKIP")
		skipped++
	else if ($1 == "ok")
		passed++
	else if (directive == "TODO")
		skipped++
	else {
		failed++
		fails[nfails++] = binary ": " $0
	}
	next
}

/^Bail out!/ {
	close_stream()
	next
}

END {
	close_stream()
	failed += extra_failed
	if (require_results && passed + failed + skipped == 0) {
		print "not ok - no test results"
		failed++
	}
	for (i = 0; i < nfails && i < 40; i++)
		print "# failed: " fails[i]
	printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
}
