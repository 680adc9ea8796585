# civreport — build, run, test.
#
#   make            build build/civreport
#   make run        install missing Debian packages, build, write the default report
#   make test       same set-up, then unit + end-to-end tests, normal and ASan/UBSan
#                   builds side by side (make -j, one line per test, a summary)
#                   and, normal build only, the golden outputs (tests/golden) and
#                   the layering check (tests/layering.py)
#   make golden     after a deliberate change to a report's content or layout: rewrite the
#                   golden outputs of tests/golden, then review `git diff` and commit it
#   make test-full  the checks at full scale (the 2021 Guang'an sample, 3.2 million
#                   rows): the seed's figures, the oracle's --expect-seed, the report
#   make bench      benchmark against DuckDB, and reading .xlsx against openpyxl
#                   (never part of make test)
#   make test-office  LibreOffice (installed when missing) opens the default
#                   report's DOCX and XLSX, converts them to PDF: the text,
#                   the pictures and the native charts survived (tests/office)
#   make fuzz       bounded fuzzing of the CSV ingest and the metric language
#   V=1             show the commands
#
# One build's tests (normal, or SANITIZE=1): make check-unit, make check-e2e,
# make test-build (both); or a single one: make unit/test_agg, make e2e/t_faults.
# Each test's output is in $(BUILD)/test-results/<name>.log.

YEAR      ?= 2021
PREFIX    ?= /usr/local
DESTDIR   ?=
Q          = $(if $(V),,@)
# "  CC file" lines, left out of make test's output (QUIET_BUILD=1), which
# keeps to the linked binaries and one line per test
SAY_CC     = $(if $(QUIET_BUILD),@:,@echo)

# Debian packages the build, the run and the tests need. `make deps` installs
# only the missing ones (as root) or prints the apt-get line to run.
# fonts-dejavu-core: the fallback font that draws what Noto CJK lacks (an
# emoji, Uyghur script in the data; tests/e2e/t_glyphs.sh).
DEB_PKGS = build-essential pkg-config libxlsxwriter-dev libcsv-dev libcairo2-dev \
	   libpango1.0-dev libfontconfig-dev fonts-noto-cjk fonts-lxgw-wenkai fonts-dejavu-core libcmark-gfm-dev \
	   libcmark-gfm-extensions-dev libcmocka-dev libcurl4-openssl-dev \
	   poppler-utils qpdf python3-openpyxl python3-aiosmtpd unzip libssl-dev clang-format \
	   libzip-dev libexpat1-dev libfreexl-dev libxxhash-dev python3-xlwt python3-docx

PKG_MODULES = xlsxwriter cairo pangocairo fontconfig libcmark-gfm libcurl libcrypto libzip expat \
	      freexl

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
# libcurl is not linked: src/deliver/curl_lib.h loads it when a mail is sent.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_MODULES) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKG_MODULES)) 2>/dev/null)
ALL_CPPFLAGS = -D_GNU_SOURCE -Isrc -DCIVREPORT_DATADIR='"$(PREFIX)/share/civreport"' $(CPPFLAGS)
ALL_CFLAGS   = -std=c17 $(OPT) -g $(WARN) $(SANFLAGS) -MMD -MP $(PKG_CFLAGS) $(CFLAGS)
LDLIBS       = $(PKG_LIBS) -lcmark-gfm-extensions -lcsv -lpthread -lm

# The pipeline, stage by stage (src/*/README.md says what each owns);
# data flows down this list and never back up (make check-layering).
STAGES   = util ingest engine template doc render/text render/chart render/pdf render/xlsx render/docx \
	   deliver sample cli
SRCS     = $(foreach s,$(STAGES),$(sort $(wildcard src/$(s)/*.c)))
OBJS     = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS = $(filter-out $(BUILD)/obj/cli/main.o,$(OBJS))
BIN      = $(BUILD)/civreport

UNIT_SRCS  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
E2E_SCRIPTS = $(sort $(wildcard tests/e2e/t_*.sh))

# Tests are phony targets, one per test (unit/test_agg, e2e/t_faults), so
# that make -j runs them side by side; the slowest first.
UNIT_RUNS  = $(UNIT_SRCS:tests/unit/%.c=unit/%)
E2E_ALL    = $(E2E_SCRIPTS:tests/e2e/%.sh=e2e/%)
E2E_SLOW   = $(filter $(E2E_ALL),e2e/t_each e2e/t_faults e2e/t_outset e2e/t_mixed_formats \
	     e2e/t_sample e2e/t_mail e2e/t_ifchanged e2e/t_report)
E2E_RUNS   = $(E2E_SLOW) $(filter-out $(E2E_SLOW),$(E2E_ALL))
# the end-to-end tests that read the generated sample (tests/e2e/lib.sh): at
# SAMPLE_SCALE in make test (0.1; 0.02 in the sanitizer build, where every
# run costs several times as much and looks for memory faults, not for
# figures the normal build checks at 0.1), at scale 1 (the seed's figures
# too) in make test-full
SAMPLE_RUNS = e2e/t_report e2e/t_sample e2e/t_seed_query e2e/t_mixed_formats
SAMPLE_SCALE ?= $(if $(SANITIZE),0.02,0.1)
SAMPLE     = $(BUILD)/sample-$(SAMPLE_SCALE)
RESULTS   ?= $(BUILD)/test-results
TEST_TAG   = $(if $(SANITIZE),san/)
JOBS      := $(shell nproc 2>/dev/null || echo 2)
# -j for the test run, unless the caller gave one (a second -j would split the jobserver)
TEST_J     = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS))
SAN_ENV    = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	     LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0
TEST_ENV   = $(if $(SANITIZE),$(SAN_ENV))

.PHONY: all deps run test test-full check-unit check-e2e test-build test-runs test-both \
	test-normal test-san clean format format-check bench fuzz install uninstall sample \
	$(UNIT_RUNS) $(E2E_RUNS)

all: $(BIN)

$(BIN): $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(SAY_CC) "  CC      $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(SAY_CC) "  CC      $<"
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

# ---------------------------------------------------------------- tests
# One test: tests/run-one.sh prints one line (ok/FAIL, time) and keeps the
# output in $(RESULTS)/<name>.log; tests/summary.sh prints the failures' logs
# and the count at the end, and fails when a test failed.
$(UNIT_RUNS): unit/%: $(BUILD)/tests/%
	@$(TEST_ENV) sh tests/run-one.sh $(RESULTS) $@ $(TEST_TAG)$@ $(BUILD)/tests/$*

# CIVREPORT_MAKE_VARS tells t_install.sh how to name this build to make.
$(E2E_RUNS): e2e/%: $(BIN) $(SAMPLE)/.complete
	@$(TEST_ENV) BIN=$(abspath $(BIN)) E2E_SAMPLE=$(abspath $(SAMPLE)) \
		E2E_SAMPLE_SCALE=$(SAMPLE_SCALE) E2E_SANITIZE=$(if $(SANITIZE),1,0) \
		CIVREPORT_MAKE_VARS="BUILD=$(BUILD)$(if $(SANITIZE), SANITIZE=1)" \
		sh tests/run-one.sh $(RESULTS) $@ $(TEST_TAG)$@ sh tests/e2e/run.sh tests/e2e/$*.sh

# The sample the end-to-end tests share, generated once per build folder,
# before any test starts (and written under another name first, so that no
# test ever sees half of it).
$(BUILD)/sample-%/.complete: $(BIN)
	@echo "  SAMPLE  $(@D)"
	$(Q)rm -rf $(@D) $(@D).tmp
	$(Q)$(BIN) sample --year $(YEAR) --scale $* --out $(@D).tmp --quiet
	$(Q)touch $(@D).tmp/.complete && mv $(@D).tmp $(@D)

# result paths for tests/summary.sh
results = $(addprefix $(RESULTS)/,$(1))

check-unit: $(UNIT_RUNS)
	@sh tests/summary.sh $(call results,$(UNIT_RUNS))

check-e2e: $(E2E_RUNS)
	@sh tests/summary.sh $(call results,$(E2E_RUNS))

# checks of the normal build only: the golden outputs and the pipeline's shape
# (stages include only what they may read, no two object files call each
# other, renderers call nothing but the doc's)
CHECK_RUNS = $(if $(SANITIZE),,check/golden check/layering)
.PHONY: check/golden check/layering
check/golden: $(BIN)
	@BIN=$(abspath $(BIN)) sh tests/run-one.sh $(RESULTS) $@ $@ sh tests/golden/run.sh check

check/layering: $(BIN)
	@sh tests/run-one.sh $(RESULTS) $@ $@ /usr/bin/python3 tests/layering.py src $(BUILD)/obj

check-layering: check/layering
	@sh tests/summary.sh $(call results,check/layering)

test-runs: $(E2E_RUNS) $(UNIT_RUNS) $(CHECK_RUNS)

test-build: all test-runs
	@sh tests/summary.sh $(call results,$(E2E_RUNS) $(UNIT_RUNS) $(CHECK_RUNS))

# make test: the format check, then both builds and all their tests at once
# (one jobserver: the normal and the sanitizer build share the cores), then
# one summary.
test-normal:
	$(Q)$(MAKE) --no-print-directory QUIET_BUILD=1 test-runs

test-san:
	$(Q)$(MAKE) --no-print-directory QUIET_BUILD=1 SANITIZE=1 test-runs

test-both: test-normal test-san

test: deps
	$(Q)$(MAKE) --no-print-directory format-check
	@rm -rf build/test-results build/san/test-results
	@st=0; $(MAKE) --no-print-directory $(TEST_J) test-both || st=$$?; \
	sh tests/summary.sh \
		$(addprefix build/test-results/,$(E2E_RUNS) $(UNIT_RUNS) check/golden check/layering) \
		$(addprefix build/san/test-results/,$(E2E_RUNS) $(UNIT_RUNS)) && exit $$st

# The full-scale checks (scale 1, 710 MB of CSV): the end-to-end tests that
# read the sample, with the seed's figures of the 2021 summary asserted too.
# Normal build; make SANITIZE=1 test-full for the sanitizer build.
test-full: deps
	@rm -rf $(BUILD)/test-results-full
	@st=0; $(MAKE) --no-print-directory $(TEST_J) SAMPLE_SCALE=1 \
		RESULTS=$(BUILD)/test-results-full $(SAMPLE_RUNS) || st=$$?; \
	sh tests/summary.sh $(addprefix $(BUILD)/test-results-full/,$(SAMPLE_RUNS)) && exit $$st

# Golden outputs (tests/golden/README.md): each case's doc dump, metrics.json,
# rejects.csv, log, PDF text and XLSX parts against the committed copies;
# check prints the diff of each difference, golden rewrites them.
.PHONY: check-golden golden check-layering
check-golden: $(BIN)
	@BIN=$(abspath $(BIN)) sh tests/golden/run.sh check

golden: $(BIN)
	@BIN=$(abspath $(BIN)) sh tests/golden/run.sh update

.PHONY: test-office
# LibreOffice for make test-office only: not part of make test (a large
# install; a conversion takes seconds)
OFFICE_PKGS = libreoffice-writer-nogui libreoffice-calc-nogui

test-office:
	$(Q)$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(OFFICE_PKGS)"
	$(Q)$(MAKE) --no-print-directory all
	@BIN=$(abspath $(BIN)) sh tests/office/run.sh

# BENCH_XLSX=0 leaves out the .xlsx part (tests/bench/xlsx.sh: openpyxl takes minutes)
bench: all
	@sh tests/bench/run.sh $(abspath $(BIN))
	@sh tests/bench/groups.sh $(abspath $(BIN))
	@sh tests/bench/reports.sh $(abspath $(BIN))
	@if [ "$${BENCH_XLSX:-1}" != 0 ]; then sh tests/bench/xlsx.sh $(abspath $(BIN)); fi

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
