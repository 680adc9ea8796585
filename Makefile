# civreport — build, run, test.
#
#   make            build build/civreport
#   make run        install missing Debian packages, build, write the default report
#   make test       same set-up, then unit + end-to-end tests, normal and ASan/UBSan builds,
#                   and the golden outputs (tests/golden) with the normal build
#   make golden     after a deliberate change to a report's content or layout: rewrite the
#                   golden outputs of tests/golden, then review `git diff` and commit it
#   make bench      benchmark against DuckDB (never part of make test)
#   make fuzz       bounded fuzzing of the CSV ingest and the metric language
#   V=1             show the commands

YEAR      ?= 2021
PREFIX    ?= /usr/local
DESTDIR   ?=
Q          = $(if $(V),,@)

# Debian packages the build, the run and the tests need. `make deps` installs
# only the missing ones (as root) or prints the apt-get line to run.
DEB_PKGS = build-essential pkg-config libxlsxwriter-dev libcsv-dev libcairo2-dev \
	   libpango1.0-dev libfontconfig-dev fonts-noto-cjk libcmark-gfm-dev \
	   libcmark-gfm-extensions-dev libcmocka-dev libcurl4-openssl-dev \
	   poppler-utils qpdf python3-openpyxl python3-aiosmtpd unzip libssl-dev clang-format

PKG_MODULES = xlsxwriter cairo pangocairo fontconfig libcmark-gfm libcurl libcrypto

ifdef SANITIZE
BUILD    ?= build/san
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT       = -O1
else
BUILD    ?= build
SANFLAGS  =
OPT       = -O2
endif

WARN     = -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wwrite-strings -Wshadow

# pkg-config runs once per make, not once per object (:=).  The user's
# CPPFLAGS, CFLAGS and LDFLAGS are appended to ours, never replace them.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_MODULES) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKG_MODULES) 2>/dev/null)
ALL_CPPFLAGS = -D_GNU_SOURCE -Isrc -DCIVREPORT_DATADIR='"$(PREFIX)/share/civreport"' $(CPPFLAGS)
ALL_CFLAGS   = -std=c17 $(OPT) -g $(WARN) $(SANFLAGS) -MMD -MP $(PKG_CFLAGS) $(CFLAGS)
LDLIBS       = $(PKG_LIBS) -lcmark-gfm-extensions -lcsv -lpthread -lm

# The pipeline, stage by stage (src/*/README.md says what each owns);
# data flows down this list and never back up (make check-layering).
STAGES   = util ingest engine template doc render/text render/pdf render/xlsx deliver sample cli
SRCS     = $(foreach s,$(STAGES),$(sort $(wildcard src/$(s)/*.c)))
OBJS     = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS = $(filter-out $(BUILD)/obj/cli/main.o,$(OBJS))
BIN      = $(BUILD)/civreport

UNIT_SRCS  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
E2E_SCRIPTS = $(sort $(wildcard tests/e2e/t_*.sh))

.PHONY: all deps run test check-unit check-e2e test-build clean format format-check \
	bench fuzz install uninstall sample

all: $(BIN)

$(BIN): $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "deps: missing packages; run as root:"; \
		echo "  apt-get update && apt-get install -y$$missing"; exit 1; fi; \
	echo "deps: installing$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null

# The default report: generate the full-scale sample into input/ when it holds
# no data, then run. Generated files are git-ignored.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)if ! ls input/*.csv input/*/*.csv >/dev/null 2>&1; then \
		echo "run: input/ holds no data, generating the sample"; \
		$(BIN) sample --year $(YEAR) --out input || exit $$?; fi
	$(BIN) run --year $(YEAR) --input input --output output

sample: all
	$(BIN) sample --year $(YEAR) --out input

# Unit tests, then end-to-end tests, for one build (normal or SANITIZE=1).
check-unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

check-e2e: $(BIN)
	@BIN=$(abspath $(BIN)) sh tests/e2e/run.sh $(E2E_SCRIPTS)

test-build: all check-unit check-e2e $(if $(SANITIZE),,check-golden check-layering)

# The pipeline's shape: stages include only what they may read, no two
# object files call each other, renderers call nothing but the doc's.
check-layering: $(BIN)
	@/usr/bin/python3 tests/layering.py src $(BUILD)/obj

test: deps
	$(Q)$(MAKE) --no-print-directory format-check
	$(Q)$(MAKE) --no-print-directory test-build
	@echo "== the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer"
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
		$(MAKE) --no-print-directory SANITIZE=1 test-build

# Golden outputs (tests/golden/README.md): each case's doc dump, metrics.json,
# rejects.csv, log, PDF text and XLSX parts against the committed copies;
# check prints the diff of each difference, golden rewrites them.
.PHONY: check-golden golden check-layering
check-golden: $(BIN)
	@BIN=$(abspath $(BIN)) sh tests/golden/run.sh check

golden: $(BIN)
	@BIN=$(abspath $(BIN)) sh tests/golden/run.sh update

bench: all
	@sh tests/bench/run.sh $(abspath $(BIN))

# libFuzzer comes with clang's runtime, which only fuzzing needs
fuzz:
	$(Q)$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) clang libclang-rt-14-dev"
	@sh tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/civreport \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/civreport
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/civreport/
	install -m 0644 src/cli/civreport.1 $(DESTDIR)$(PREFIX)/share/man/man1/civreport.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/civreport $(DESTDIR)$(PREFIX)/share/man/man1/civreport.1
	rm -rf $(DESTDIR)$(PREFIX)/share/civreport

FORMAT_FILES = $(shell find src -name '*.[ch]' | sort) tests/unit/*.c tests/unit/*.h tests/fuzz/*.c

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format: clean"

clean:
	rm -rf build
