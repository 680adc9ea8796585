/*
 * latest.c - which year "year = latest" means; see ingest_latest_year() in
 * ingest.h.
 *
 * The latest year seen in any row is a poor choice: one typo dated 2023 in
 * a folder of 2021 exports would make an almost empty 2023 report.  The
 * latest year that holds a real part of the data is chosen instead; rows
 * dated after the run's date never get here (they are rejects).
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"

/* A year counts when it has at least 1/LATEST_SHARE of the busiest year's rows. */
#define LATEST_SHARE 10

int ingest_latest_year(const struct ingest_result *res, char *why, size_t whylen)
{
	uint64_t busiest = 0;
	int busiest_year = 0, chosen = 0;
	size_t used;

	for (int i = 0; i < INGEST_YEARS; i++)
		if (res->year_rows[i] > busiest) {
			busiest = res->year_rows[i];
			busiest_year = INGEST_YEAR_MIN + i;
		}
	if (busiest == 0) {
		snprintf(why, whylen, "数据中没有任何有效的年份");
		return 0;
	}
	for (int i = INGEST_YEARS - 1; i >= 0 && chosen == 0; i--)
		if (res->year_rows[i] >= (busiest + LATEST_SHARE - 1) / LATEST_SHARE)
			chosen = INGEST_YEAR_MIN + i;
	snprintf(why, whylen,
		 "选用 %d 年：有数据且行数不少于最多年份（%d 年，%llu 行）十分之一的最新年份"
		 "（%d 年有 %llu 行）",
		 chosen, busiest_year, (unsigned long long)busiest, chosen,
		 (unsigned long long)res->year_rows[chosen - INGEST_YEAR_MIN]);
	used = strlen(why);
	for (int i = chosen - INGEST_YEAR_MIN + 1; i < INGEST_YEARS && used + 1 < whylen; i++) {
		if (res->year_rows[i] == 0)
			continue;
		snprintf(why + used, whylen - used, "%s%d 年（%llu 行）",
			 strstr(why, "；未选用") ? "、" : "；未选用行数太少的较新年份：",
			 INGEST_YEAR_MIN + i, (unsigned long long)res->year_rows[i]);
		used = strlen(why);
	}
	return chosen;
}
