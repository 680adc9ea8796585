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
LIBS="src/ingest/ingest_parse.c src/ingest/schema.c src/util/ini.c src/util/text.c src/ingest/value.c src/engine/query_parse.c src/util/xalloc.c src/util/strbuf.c src/util/period.c src/ingest/mask.c src/util/escape.c"
# the reader: ingest.c and what it calls
READER="src/ingest/ingest.c src/ingest/ingest_files.c src/ingest/ingest_pool.c src/ingest/persons.c src/util/log.c src/util/testhook.c src/util/dict.c src/util/sha256.c"
for t in ingest query chunks; do
	echo "== fuzz_$t (${SECONDS_EACH}s)"
	extra=""
	[ "$t" = chunks ] && extra="$READER -lcrypto -lpthread"
	clang $CFLAGS -o "$OUT/fuzz_$t" "tests/fuzz/fuzz_$t.c" $LIBS $extra -lcsv
	mkdir -p "$OUT/corpus-$t"
	"$OUT/fuzz_$t" -max_total_time="$SECONDS_EACH" -max_len=4096 \
		-artifact_prefix=tests/fuzz/crash-$t- "$OUT/corpus-$t" "tests/fuzz/seeds/$t" 2>&1 |
		grep -E "^(#[0-9]+.*(DONE|pulse)|==|SUMMARY|artifact)" | tail -5
done
