/*
 * main.c - civreport's entry point: the table of subcommands.
 *
 * Deliberately thin (as git's cmd table): every subcommand is a function in
 * a cmd_*.c file over the pipeline stages, so each can be called from tests.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/exitcode.h"
#include "util/version.h"

struct command {
	const char *name;
	int (*fn)(struct cli *cli);
	const char *usage;
};

static const struct command commands[] = {
    {"run", cmd_run,
     "run --year YYYY|latest | --period P [--where 列=值] [--each 列] [--strict]\n"
     "      [--input DIR] [--template FILE] [--output DIR] [--config FILE] [--threads N]\n"
     "      [--encoding auto|utf-8|gb18030] [--max-reject-rate R] [--mode 0640]\n"
     "      [--if-changed] [--mail] [--wait SECONDS] [--quiet] [--log-file FILE]\n"
     "      [--progress|--no-progress] [--dump-doc FILE] [--cache DIR|--no-cache]\n"
     "    生成报告：output/<期间>/ 下的 PDF、XLSX、metrics.json、rejects.csv\n"
     "    --where 区县=岳池县 只算该地区；--each 区县 另为每个区县各出一份：output/<期间>/<区县>/\n"
     "    --strict 模板用到的数据集在期间和地区内没有数据时失败（退出码 1）\n"
     "    --dump-doc FILE 另把文档模型（交给渲染的全部内容）按行写入 FILE，- 为标准输出"},
    {"check", cmd_check,
     "check --year YYYY | --period P [--input DIR] [--encoding E] [--max-reject-rate R]\n"
     "      [--cache DIR|--no-cache]\n"
     "    只校验数据，打印数据质量汇总"},
    {"query", cmd_query,
     "query --year YYYY | --period P [--where 列=值] [--input DIR] [--format table|csv|json]\n"
     "      [--cache DIR|--no-cache] 'relief.amount by 区县' ...\n"
     "    计算一个或多个指标并打印，如 "
     "'relief.amount@prev'（同比）、'relief.amount@last'（环比）、\n"
     "    'relief.amount / relief.persons'（人均）"},
    {"lint", cmd_lint,
     "lint [--template FILE] [--year YYYY | --period P] [--where 列=值] [--fix]\n"
     "    只检查模板，不读数据；与汉字相邻的半角标点 , ; : ( ) ! ? 是警告（不影响退出码），\n"
     "    --fix 把它们就地改成全角 ，；：（）！？（代码、{{ }} 表达式、网址、数字不动）"},
    {"mail", cmd_mail, "mail --config FILE [files...]\n    用配置中的邮件服务器发送报告文件"},
    {"sample", cmd_sample,
     "sample --year YYYY --out DIR [--scale F] [--seed N] [--format csv|xlsx]\n"
     "    生成模拟数据（广安市六个区县）；--format xlsx 把各区县的救助明细写成 .xlsx\n"
     "    （标题行、表头、与 CSV 相同的行；金额为数字，其余为文本），其他数据集仍为 CSV"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *fp)
{
	fprintf(fp, "civreport %s — 民政工作报告生成器（年报、半年报、季报、月报）\n\n用法：\n",
		CIVREPORT_VERSION);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  civreport %s\n", commands[i].usage);
	fputs("  civreport --help | --version\n\n"
	      "期间 P（--period，配置中 period =；--year 2021 即 --period 2021）：\n"
	      "  2021  全年        2021H1、2021H2  上、下半年   2021Q1…2021Q4  季度\n"
	      "  2021-09  一个月   2021-01..2021-09  连续月份（1—9月，可跨年，最多 120 个月）\n"
	      "  报告写到 output/<期间>/，如 output/2021Q3/\n\n"
	      "模板中：{year} {period} {period_name}（2021年第三季度） {area}（广安市） "
	      "{sub}（区县）；\n"
	      "  表达式 @prev（同比） @last（环比） $period by $sub；格式 growth:1 change:1 元:2\n"
	      "  （详见 man civreport 和模板目录下的 README.md）\n\n"
	      "解析缓存：run、check、query 把每个输入文件的解析结果存入缓存目录，文件未改动时\n"
	      "  下次直接取用，不再解析（结果逐字节相同，任何期间和地区都适用）；\n"
	      "  --cache DIR（配置中 cache =）指定目录，默认 $XDG_CACHE_HOME/civreport，\n"
	      "  root 为 /var/cache/civreport，否则 ~/.cache/civreport；--no-cache（no_cache = "
	      "yes）\n"
	      "  不读不写缓存。缓存含个人信息（身份证号以整数保存），权限 "
	      "0700/0600；删除该目录即清空\n\n"
	      "例子：\n"
	      "  civreport run --period 2021Q3\n"
	      "  civreport run --period 2021H2 --each 区县 --strict\n"
	      "  civreport query --period 2021Q3 --where 区县=岳池县 'relief.amount@last'\n\n"
	      "退出码：\n"
	      "  0  成功（或 --if-changed 时数据未变）\n"
	      "  1  数据问题：拒收比例超过阈值，有文件无法读取，或 --strict 时有数据集没有数据\n"
	      "  2  用法、配置或模板错误\n"
	      "  3  读写或系统错误（目录不存在、磁盘已满等）\n"
	      "  4  另一个 civreport 正在使用同一输出目录\n"
	      "  5  报告已生成，但邮件发送失败\n",
	      fp);
}

int main(int argc, char **argv)
{
	struct cli cli;
	int rc;

	/* messages are UTF-8 whatever the locale; numbers never depend on it */
	setlocale(LC_CTYPE, "C.UTF-8");
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("civreport %s\n", CIVREPORT_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		rc = cli_parse(&cli, argv[1], argc - 1, argv + 1);
		if (rc == 0 && cli.help)
			printf("civreport %s\n", commands[i].usage);
		else if (rc == 0)
			rc = cli_finish(&cli);
		if (rc == 0 && !cli.help)
			rc = commands[i].fn(&cli);
		cli_release(&cli);
		return rc;
	}
	fprintf(stderr, "civreport: 未知的子命令“%s”\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
