/*
 * log.h - log lines on stderr (and optionally a log file): a timestamp, a
 * level and a message, so a cron mail or a log file says when and how bad.
 * A message is always one line: controls in it (from file names or data
 * values it quotes) are written as visible escapes (escape.h).
 */
#ifndef CIVREPORT_LOG_H
#define CIVREPORT_LOG_H

#include <stdbool.h>
#include <sys/types.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
};

/* Messages below level are dropped (--quiet sets LOG_WARN). */
void log_set_level(enum log_level level);

/*
 * Append every line to path as well, creating it with mode (the outputs'
 * mode, 0640 by default: a log names files and problems of personal
 * data); returns -1 with errno when it can't be opened.
 */
int log_set_file(const char *path, mode_t mode);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Close the log file. */
void log_close(void);

#endif
