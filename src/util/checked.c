/*
 * checked.c - the exit path of checked_sum; see checked.h.
 */
#include <stdlib.h>

#include "checked.h"
#include "exitcode.h"
#include "log.h"

int64_t checked_sum(int64_t a, int64_t b, const char *what)
{
	int64_t r = a;

	if (!checked_add(&r, b)) {
		log_error("合计超出可计算的范围（超过 92,233,720,368,547,758.07 元或 "
			  "9,223,372,036,854,775,807）：%s；数据中可能有异常的金额或数量",
			  what);
		exit(EXIT_DATA);
	}
	return r;
}
