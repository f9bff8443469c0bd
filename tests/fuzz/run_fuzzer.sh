#!/bin/sh
# Runs one libFuzzer target for a bounded time from its seed corpus, as a CTest test.
# Usage: run_fuzzer.sh <fuzzer> <seed corpus dir> <seconds> <artifact dir>
#
# The seeds are copied to a scratch dir first: libFuzzer adds every new input it finds to the
# corpus dir it is given, and the repository must not change under a test run. Every seed is
# replayed before fuzzing starts, so a crash input committed to the seed corpus is a
# regression test. A crash leaves its input in <artifact dir> (crash-<sha1>) and fails the test.
set -eu
fuzzer=$1 seeds=$2 seconds=$3 artifacts=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/drover-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$seeds"/. "$work/"
mkdir -p "$artifacts"
# -rss_limit_mb: a leak or a runaway buffer fails instead of eating the CI machine's memory.
# -timeout: one input taking seconds is a hang (an endless loop on some byte pattern).
# -max_len: inputs up to 64 KiB reach the parsers' size limits (header and line caps).
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work"
