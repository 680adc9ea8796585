/*
 * log.c - timestamped log lines; see log.h.
 *
 * The timestamp is the clock on purpose: logs say when a night run did what.
 * Nothing that goes into a report ever comes from here.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static enum log_level threshold = LOG_INFO;
static FILE *logfile;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level level)
{
	threshold = level;
}

int log_set_file(const char *path)
{
	FILE *fp = fopen(path, "a");

	if (fp == NULL)
		return -1;
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

static void emit(FILE *fp, const char *stamp, enum log_level level, const char *fmt, va_list ap)
{
	fprintf(fp, "%s %-5s ", stamp, level_name(level));
	vfprintf(fp, fmt, ap);
	fputc('\n', fp);
	fflush(fp);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level < threshold && logfile == NULL)
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	pthread_mutex_lock(&lock);
	if (level >= threshold) {
		va_start(ap, fmt);
		emit(stderr, stamp, level, fmt, ap);
		va_end(ap);
	}
	if (logfile != NULL) {
		va_start(ap, fmt);
		emit(logfile, stamp, level, fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&lock);
}
