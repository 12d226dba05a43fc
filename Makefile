# crossim: one plain Makefile. Everything it builds goes under $(BUILD).
#   make            build build/crossim
#   make deps       install missing Debian packages (apt-get; root or sudo)
#   make demo       deps + build + run scenarios/quickstart.json into out/
#   make check      deps + build + every test under prove
#   make check-asan the same tests built with -fsanitize=address,undefined, by gcc and clang
#   make fuzz       libFuzzer on every tests/fuzz target, FUZZ_SECONDS (60) each
#   make bench      engine and IAM figures, as ratios against in-process baselines

BUILD   ?= build
CC      ?= cc
PKGS    := glib-2.0 gio-2.0 libcjson libevent libpcre2-8 sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN) -I. $(PKG_CFLAGS) \
           -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74
LDLIBS  := $(PKG_LIBS) -lm
LDFLAGS := $(SAN)

LIB_SRC  := $(sort $(wildcard model/base/*.c model/*.c) $(filter-out sim/main.c,$(wildcard sim/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test-*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Fuzz targets: replayed on their regression corpus by make check (any
# compiler), fuzzed with libFuzzer by make fuzz (clang).
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz-%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay-%)
FUZZ_SECONDS ?= 60

.PHONY: all deps demo check check-run check-asan fuzz bench clean
.SECONDARY:
all: $(BUILD)/crossim $(TEST_BIN) $(REPLAY_BIN)

deps:
	@sh tools/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libcrossim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/crossim: $(BUILD)/obj/sim/main.o $(BUILD)/libcrossim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tests/unit/host.c: the world host the unit tests share.
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/obj/tests/unit/host.o $(BUILD)/libcrossim.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fuzz/replay-%: $(BUILD)/obj/tests/fuzz/fuzz-%.o $(BUILD)/obj/tests/fuzz/driver.o \
                       $(BUILD)/obj/tests/unit/host.o $(BUILD)/libcrossim.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

demo: deps
	@$(MAKE) --no-print-directory all
	@rm -rf out
	$(BUILD)/crossim run scenarios/quickstart.json --out out

check: deps
	@$(MAKE) --no-print-directory check-run

check-run: all
	CROSSIM=$(BUILD)/crossim TESTBIN=$(BUILD)/tests FUZZBIN=$(BUILD)/fuzz \
	  prove -j2 -e '' $(TEST_BIN) tests/scenarios/*.t

# With gcc, then with clang, whose UBSan also checks float-to-int casts
# (float-cast-overflow) and more.
check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' check-run
	@$(MAKE) --no-print-directory CC=clang BUILD=build/asan-clang OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all' check-run

# libFuzzer on every target for FUZZ_SECONDS each (default 60), from the
# regression corpus plus the shipped scenarios and IAM cases; a finding
# fails the target and leaves its input in build/libfuzzer/findings/.
fuzz: deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build/libfuzzer OPT='-O1 -g' \
	  SAN='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all' \
	  $(FUZZ_NAMES:%=build/libfuzzer/fuzz-%)
	@sh tools/fuzz.sh build/libfuzzer $(FUZZ_SECONDS) $(FUZZ_NAMES)

build/libfuzzer/fuzz-%: build/libfuzzer/obj/tests/fuzz/fuzz-%.o build/libfuzzer/obj/tests/unit/host.o \
                        build/libfuzzer/libcrossim.a
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

bench: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/crossim bench all

clean:
	rm -rf build out

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/sim/main.d $(BUILD)/obj/tests/unit/host.d $(TEST_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d) \
  $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/obj/tests/fuzz/%.d) $(BUILD)/obj/tests/fuzz/driver.d
