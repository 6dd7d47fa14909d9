# bench/tools: the programs of `make bench` (scripts/bench.sh), see
# Documentation/performance.rst.  Bench-only: built into $(O)/bin, never
# installed.  This fragment sorts before common/, netlink/ and testtools/,
# whose variables are not defined yet when it is read: name their
# archives directly (make expands prerequisites when it reads a rule).
include $(SRC)/netlink/vars.mk

BENCH_SRC := $(TOP)/bench/tools
BENCH_CFLAGS := -I$(BENCH_SRC) -I$(TOP)/tests/tools
BENCH_COMMON := $(O)/libmbmscommon.a
BENCH_TESTTOOLS := $(O)/libtesttools.a
BENCH_LDLIBS := $(shell $(PKG_CONFIG) --libs libsrtp2 libcrypto 2>/dev/null || echo -lsrtp2 -lcrypto)
BENCH_UTIL := $(O)/bench/bench_util.o
BENCH_STREAM := $(O)/bench/bench_stream.o

$(O)/bench/%.o: $(BENCH_SRC)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(BENCH_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/bin/bench-replay: $(O)/bench/bench_replay.o $(BENCH_STREAM) $(BENCH_UTIL) $(BENCH_TESTTOOLS) $(BENCH_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BENCH_LDLIBS)

$(O)/bin/bench-sink: $(O)/bench/bench_sink.o $(BENCH_UTIL) $(BENCH_TESTTOOLS) $(BENCH_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

$(O)/bin/bench-relay: $(O)/bench/bench_relay.o $(BENCH_STREAM) $(BENCH_UTIL) $(BENCH_TESTTOOLS) $(BENCH_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BENCH_LDLIBS)

$(O)/bin/bench-crypto: $(O)/bench/bench_crypto.o $(BENCH_UTIL) $(BENCH_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BENCH_LDLIBS)

$(O)/bin/bench-install: $(O)/bench/bench_install.o $(BENCH_UTIL) $(NL_LIB) $(BENCH_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

all: $(addprefix $(O)/bin/,bench-replay bench-sink bench-relay bench-crypto bench-install)
