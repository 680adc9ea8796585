/*
 * cmd_sample.c - `civreport sample`: write the synthetic Guang'an exports.
 */
#include <stdio.h>

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
	};
	char err[512];

	log_info("生成模拟数据:%d年,规模 %.3g,写入 %s", opt.year, opt.scale, opt.out);
	if (sample_generate(&opt, err, sizeof(err)) != 0) {
		log_error("%s", err);
		return EXIT_IO;
	}
	log_info("模拟数据已写入 %s", opt.out);
	return EXIT_OK;
}
