/*
 * log.c - timestamped log lines; see log.h.
 *
 * The timestamp is the clock on purpose: logs say when a night run did what.
 * Nothing that goes into a report ever comes from here.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "log.h"

static enum log_level threshold = LOG_INFO;
static FILE *logfile;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level level)
{
	threshold = level;
}

int log_set_file(const char *path, mode_t mode)
{
	/* created with the outputs' mode: a log line may name a file or a reason */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode);
	FILE *fp;

	if (fd < 0)
		return -1;
	fp = fdopen(fd, "a");
	if (fp == NULL) {
		close(fd);
		return -1;
	}
	if (logfile != NULL)
		fclose(logfile);
	logfile = fp;
	return 0;
}

void log_close(void)
{
	if (logfile != NULL)
		fclose(logfile);
	logfile = NULL;
}

static const char *level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG:
		return "DEBUG";
	case LOG_INFO:
		return "INFO";
	case LOG_WARN:
		return "WARN";
	case LOG_ERROR:
		return "ERROR";
	}
	return "?";
}

static void emit(FILE *fp, const char *stamp, enum log_level level, const char *msg)
{
	fprintf(fp, "%s %-5s %s\n", stamp, level_name(level), msg);
	fflush(fp);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char stamp[32], *raw;
	struct strbuf msg = STRBUF_INIT;
	struct tm tm;
	time_t now;
	va_list ap;
	int n;

	if (level < threshold && logfile == NULL)
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	n = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (n < 0)
		raw = NULL;
	/*
	 * Messages quote file names and values from the input: one log line
	 * per message, and nothing that a terminal would act on.
	 */
	if (raw != NULL)
		escape_terminal(&msg, raw, (size_t)n);
	free(raw);
	pthread_mutex_lock(&lock);
	if (level >= threshold)
		emit(stderr, stamp, level, msg.buf ? msg.buf : "");
	if (logfile != NULL)
		emit(logfile, stamp, level, msg.buf ? msg.buf : "");
	pthread_mutex_unlock(&lock);
	strbuf_release(&msg);
}
