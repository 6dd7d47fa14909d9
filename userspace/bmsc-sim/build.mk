# userspace/bmsc-sim: the BM-SC simulator used by the tests and the demo.
#
# Fragments are included in alphabetical order, before common/ and mikey/:
# libmikey's variables come from its vars.mk, the common archive by path.
include $(SRC)/mikey/vars.mk
BMSCSIM_SRCS := main.c options.c schedule.c scenario.c ue.c mskreq.c \
	http.c auth.c mikey_send.c srtp_stream.c keygen.c events.c
BMSCSIM_OBJS := $(addprefix $(O)/bmsc-sim/,$(BMSCSIM_SRCS:.c=.o))
BMSCSIM_PKGS := libmicrohttpd libsrtp2 libxml-2.0 libcrypto
BMSCSIM_LIBS := $(MIKEY_LIB) $(O)/libmbmsdigest.a $(O)/libmbmscommon.a
BMSCSIM_LDLIBS := $(shell $(PKG_CONFIG) --libs $(BMSCSIM_PKGS)) $(MIKEY_LDLIBS)
# The stream's plaintext comes from the traffic tools' generator, so that
# srtp-recv checks bmsc-sim's packets byte for byte.
BMSCSIM_PATTERN := $(O)/tests/tools/rtp_pattern.o
CFLAGS_bmsc-sim := $(shell $(PKG_CONFIG) --cflags $(BMSCSIM_PKGS)) \
	-I$(TOP)/tests/tools

PROGS += $(O)/bin/bmsc-sim
MANPAGES += $(TOP)/Documentation/man/bmsc-sim.1

$(O)/bin/bmsc-sim: $(BMSCSIM_OBJS) $(BMSCSIM_PATTERN) $(BMSCSIM_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(BMSCSIM_LDLIBS)

# Unit tests: schedule and options, XML request parser, GBA/Digest setup.
$(O)/tests/unit/bmscsim_%.o: CFLAGS += -I$(SRC)/bmsc-sim $(CFLAGS_bmsc-sim)

TESTS += $(O)/tests/bmscsim_schedule_test $(O)/tests/bmscsim_mskreq_test \
	$(O)/tests/bmscsim_gba_test
$(O)/tests/bmscsim_schedule_test: $(O)/tests/unit/bmscsim_schedule_test.o \
		$(O)/bmsc-sim/schedule.o $(O)/bmsc-sim/options.o $(BMSCSIM_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(BMSCSIM_LDLIBS)
$(O)/tests/bmscsim_mskreq_test: $(O)/tests/unit/bmscsim_mskreq_test.o \
		$(O)/bmsc-sim/mskreq.o $(O)/bmsc-sim/ue.o $(BMSCSIM_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(BMSCSIM_LDLIBS)
$(O)/tests/bmscsim_gba_test: $(O)/tests/unit/bmscsim_gba_test.o \
		$(O)/bmsc-sim/ue.o $(BMSCSIM_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(BMSCSIM_LDLIBS)

# Loopback tests: the HTTP endpoint with curl --digest; every MIKEY
# message and SRTP packet of a scripted run checked by a fake UE; the SRTP
# stream byte for byte against srtp-recv (the traffic tools' libsrtp2).
TEST_SCRIPTS += $(TOP)/tests/unit/bmscsim_http_smoke.sh \
	$(TOP)/tests/unit/bmscsim_mikey_loopback.py \
	$(TOP)/tests/unit/bmscsim_srtp_interop.sh

# libFuzzer: the MSK-request XML parser (the part reachable from the net).
FUZZ_CC ?= clang
BMSCSIM_FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -std=gnu11 -D_GNU_SOURCE -I$(SRC)/include \
	-I$(SRC)/bmsc-sim $(shell $(PKG_CONFIG) --cflags libxml-2.0)
FUZZERS += $(O)/fuzz/bmscsim_mskreq_fuzz
$(O)/fuzz/bmscsim_mskreq_fuzz: $(TOP)/tests/fuzz/bmscsim_mskreq_fuzz.c \
		$(SRC)/bmsc-sim/mskreq.c $(SRC)/bmsc-sim/ue.c \
		$(SRC)/bmsc-sim/mskreq.h $(SRC)/bmsc-sim/ue.h \
		$(BMSCSIM_LIBS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BMSCSIM_FUZZ_FLAGS) -o $@ $< $(SRC)/bmsc-sim/mskreq.c \
		$(SRC)/bmsc-sim/ue.c $(addprefix $(SRC)/mikey/,$(MIKEY_SRCS)) \
		$(addprefix $(SRC)/common/,hex.c num.c secret.c json.c log.c) \
		$(shell $(PKG_CONFIG) --libs libxml-2.0) $(MIKEY_LDLIBS)
