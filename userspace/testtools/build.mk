# tests/tools: srtp-send and srtp-recv, the traffic tools of the kernel
# selftests (tests/selftests/run.sh), and the unit test of their packet
# generator.  Test-only programs: built into $(O)/bin, never installed.
TESTTOOLS_LDLIBS := $(shell $(PKG_CONFIG) --libs libsrtp2 libcrypto 2>/dev/null || echo -lsrtp2 -lcrypto)
TESTTOOLS_OBJS := $(addprefix $(O)/tests/tools/,rtp_pattern.o srtp_stream.o \
	stream_opts.o net_util.o pkt_index.o)
TESTTOOLS_LIB := $(O)/libtesttools.a

$(TESTTOOLS_LIB): $(TESTTOOLS_OBJS)
	$(AR) rcs $@ $^

$(O)/bin/srtp-send: $(O)/tests/tools/srtp_send.o $(TESTTOOLS_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TESTTOOLS_LDLIBS)

$(O)/bin/srtp-recv: $(O)/tests/tools/srtp_recv.o $(TESTTOOLS_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TESTTOOLS_LDLIBS)

TEST_PROGS += $(O)/bin/srtp-send $(O)/bin/srtp-recv
all: $(O)/bin/srtp-send $(O)/bin/srtp-recv

TESTS += $(O)/tests/srtp_pattern_test
$(O)/tests/srtp_pattern_test: $(O)/tests/tools/pattern_test.o $(TESTTOOLS_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TESTTOOLS_LDLIBS)
