#!/bin/sh
# make fuzz: build the libFuzzer targets with clang + ASan/UBSan and run each
# for FUZZ_SECONDS (default 60).  fuzz_chunks reads each input as a file
# through the whole reader, cut into chunks of several sizes.  Crashes land in tests/fuzz/crash-*; turn
# each into a regression test (tests/unit) before fixing it.
set -eu
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=build/fuzz
mkdir -p "$OUT"
CFLAGS="-std=c17 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined"
# every stage up to the engine: a list of files went stale as they grew
LIBS="$(ls src/util/*.c src/ingest/*.c src/engine/*.c)"
PKGS="libcrypto libzip expat freexl fontconfig"
for t in ingest query chunks; do
	echo "== fuzz_$t (${SECONDS_EACH}s)"
	# shellcheck disable=SC2046 # pkg-config's words are flags
	clang $CFLAGS $(pkg-config --cflags $PKGS) -o "$OUT/fuzz_$t" "tests/fuzz/fuzz_$t.c" $LIBS \
		$(pkg-config --libs $PKGS) -lcsv -lpthread -lm
	mkdir -p "$OUT/corpus-$t"
	"$OUT/fuzz_$t" -max_total_time="$SECONDS_EACH" -max_len=4096 \
		-artifact_prefix=tests/fuzz/crash-$t- "$OUT/corpus-$t" "tests/fuzz/seeds/$t" 2>&1 |
		grep -E "^(#[0-9]+.*(DONE|pulse)|==|SUMMARY|artifact)" | tail -5
done
