/*
 * cmd_sample.c - `civreport sample`: write the synthetic Guang'an exports,
 * as CSV files, or with --format xlsx the relief exports as Excel workbooks
 * (cli.c takes csv or xlsx, csv when not given).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "sample/sample.h"

int cmd_sample(struct cli *cli)
{
	struct sample_options opt = {
	    .year = cli->year ? cli->year : 2021,
	    .out = cli->out ? cli->out : cli->input,
	    .scale = cli->scale,
	    .seed = (uint64_t)cli->seed,
	    .format = strcmp(cli->format, "xlsx") == 0 ? SAMPLE_XLSX : SAMPLE_CSV,
	};
	char err[512];

	log_info("生成模拟数据：%d年，规模 %.3g，%s，写入 %s", opt.year, opt.scale,
		 opt.format == SAMPLE_XLSX ? "救助明细为 .xlsx" : "CSV", opt.out);
	if (sample_generate(&opt, err, sizeof(err)) != 0) {
		log_error("%s", err);
		return EXIT_IO;
	}
	log_info("模拟数据已写入 %s", opt.out);
	return EXIT_OK;
}
