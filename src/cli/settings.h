/*
 * settings.h - the one table of civreport's settings: every command-line
 * option and every key of the configuration file, with its type, its
 * allowed values, its default and where it may appear.
 *
 * The command line (cli.c) and the configuration file (config.c) both look
 * a setting up here and give its text to setting_set(), which parses it
 * with the typed parsers of util/parse.h: a value is accepted, spelt and
 * refused the same way wherever it is written, and the message that
 * refuses it names what was expected.  Precedence (defaults, then the
 * file, then the flags) is the callers' business: see cli_finish().
 *
 * Usage, in a caller that has found option in argv:
 *
 *	const struct setting *s = setting_by_option("threads");
 *	char why[256];
 *	if (setting_set(s, cli, NULL, "65", why, sizeof(why)) != 0)
 *		fprintf(stderr, "--%s %s\n", s->option, why);
 *	// --threads 应为 1 到 64 之间的整数: 65
 */
#ifndef CIVREPORT_SETTINGS_H
#define CIVREPORT_SETTINGS_H

#include <stddef.h>

struct cli;
struct config;

enum setting_type {
	SETTING_FLAG,      /* command line only, takes no value: sets a bool */
	SETTING_BOOL,      /* parse_bool(): yes/no, true/false, on/off, 1/0, 是/否 */
	SETTING_INT,       /* an int in [min, max] */
	SETTING_DOUBLE,    /* a double in [dmin, dmax] */
	SETTING_ENUM,      /* one of choices, ASCII case ignored; stores the canonical name */
	SETTING_STRING,    /* any text but none (a path, a name): stores a malloc'd copy */
	SETTING_YEAR,      /* a year 1900-2099, or latest */
	SETTING_PERIOD,    /* a report period (util/period.h): 2021, 2021H1, 2021Q3, 2021-09, ... */
	SETTING_WHERE,     /* 列=值, repeatable: each one is appended to a char ** list */
	SETTING_MODE,      /* file permissions, octal 0-0777 */
	SETTING_ADDRESS,   /* one email address (mail_address_valid) */
	SETTING_ADDRESSES, /* one or more email addresses separated by commas (ASCII or full-width)
			    */
	SETTING_URL,       /* smtp://host[:port][/...] or smtps://...: no credentials, no blanks */
	SETTING_ENVNAME,   /* an environment variable's name: ASCII letters, digits, _ */
};

/* The section of the configuration file a key belongs to. */
enum setting_section {
	SECTION_NONE, /* not in the configuration file */
	SECTION_RUN,  /* [run], or before any section */
	SECTION_MAIL, /* [mail] */
};

/* An allowed value of an ENUM setting; means names the canonical value of an alias. */
struct setting_choice {
	const char *name;
	const char *means; /* NULL: name is canonical (and listed in messages) */
};

struct setting {
	const char *option; /* --option on the command line (without "--"); NULL: not there */
	const char *key;    /* key in the configuration file; NULL: not there */
	enum setting_section section; /* where key goes */
	enum setting_type type;
	long min, max;                        /* INT */
	double dmin, dmax;                    /* DOUBLE */
	const struct setting_choice *choices; /* ENUM, ended by {NULL, NULL} */
	const char *deflt; /* the default, as text parsed like a given value; NULL: zero */
	const char *what;  /* INT, DOUBLE: what the number is, for messages ("秒数") */
	/*
	 * Where the value goes: in struct config for [mail] keys, in struct
	 * cli for everything else.  extra: YEAR, the bool set by latest;
	 * PERIOD, the bool set when given; ADDRESSES and WHERE, the size_t
	 * count of the char ** list at offset.
	 */
	size_t offset, extra;
};

/* The table, *n settings long; indexes are below 64 (struct cli's given bits). */
const struct setting *settings_table(size_t *n);

/* The setting of --option, or NULL when there is none. */
const struct setting *setting_by_option(const char *option);

/* The setting of key in section, or NULL when that section has no such key. */
const struct setting *setting_by_key(enum setting_section section, const char *key);

/* Its index in settings_table(): bit (1 << index) of struct cli's given. */
size_t setting_index(const struct setting *s);

/*
 * Parse text (NULL for a FLAG) as a value of s and store it: into cli for a
 * command-line or [run] setting, into cfg for a [mail] one, where the
 * previous value is freed.  With that target NULL, only check the text.
 * Returns 0, or -1 with what was expected and the text refused in why,
 * e.g. "应为 auto、utf-8 或 gb18030: latin1": the caller puts the option or
 * file:line: key in front.
 */
int setting_set(const struct setting *s, struct cli *cli, struct config *cfg, const char *text,
		char *why, size_t whylen);

/* The defaults of every command-line and [run] setting into cli (zeroed before). */
void settings_init_cli(struct cli *cli);

/* The defaults of every [mail] setting into cfg (zeroed before). */
void settings_init_mail(struct config *cfg);

/* Free the strings the settings stored in cli (not cli->cfg); they become NULL. */
void settings_release_cli(struct cli *cli);

/* The keys of section, for messages: "url、from、...". */
void settings_keys(enum setting_section section, char *buf, size_t len);

#endif
