#!/bin/sh
# tests/bench/groups.sh - `make bench`, second part: a report whose table and
# chart are grouped by a text column with many distinct values (issue 10
# item 26: 20,000 groups took 18.7 s when every cell was looked up in a
# list).  Times `civreport run` at BENCH_GROUPS (default "20000 100000")
# groups and prints one line each; never fails because of a time.
#
#   sh tests/bench/groups.sh /abs/path/to/civreport
set -eu

BIN=${1:?usage: sh tests/bench/groups.sh /abs/path/to/civreport}
HERE=$(cd "$(dirname "$0")" && pwd)
CIVREPORT_DATADIR=$(cd "$HERE/../.." && pwd)/templates
export CIVREPORT_DATADIR
DIR=$(mktemp -d "${TMPDIR:-/tmp}/civreport-bench-groups.XXXXXX")
trap 'rm -rf "$DIR"' EXIT

cat >"$DIR/t.md" <<'MD'
---
title: 分组
pdf: groups.pdf
xlsx: groups.xlsx
---

```table
title: 各项目
rows: 项目名称
sort: desc
column: 金额(元) = charity.amount | yuan
column: 笔数 = charity.rows
column: 占比 = charity.amount / charity.amount | pct:1
```
MD

printf '%-8s %10s %10s\n' groups 'wall s' 'peak MB' >&2
for n in ${BENCH_GROUPS:-20000 100000}; do
	mkdir -p "$DIR/in$n"
	awk -v n="$n" 'BEGIN {
		print "日期,收支类型,项目名称,区县,金额,受益人次,捐赠方"
		for (i = 0; i < n; i++)
			printf "2021-03-01,捐赠收入,项目/%d,前锋区,%d.00,,\n", i, 100 + i % 977
	}' >"$DIR/in$n/charity.csv"
	/usr/bin/time -f "%e %M" -o "$DIR/time" "$BIN" run --no-cache --year 2021 --input "$DIR/in$n" \
		--template "$DIR/t.md" --output "$DIR/out$n" --quiet ||
		{ echo "bench: civreport run failed at $n groups" >&2; exit 1; }
	read -r wall rss <"$DIR/time"
	printf '%-8s %10s %10d\n' "$n" "$wall" $((rss / 1024)) >&2
done
