# userspace/bmsc-sim: the BM-SC simulator used by the tests and the demo.
#
# Fragments are included in alphabetical order, before common/ and mikey/,
# so their archives are named by path here, not by their variables.
BMSCSIM_SRCS := main.c options.c schedule.c scenario.c ue.c mskreq.c \
	http.c mikey_send.c srtp_stream.c keygen.c events.c
BMSCSIM_OBJS := $(addprefix $(O)/bmsc-sim/,$(BMSCSIM_SRCS:.c=.o))
BMSCSIM_PKGS := libmicrohttpd libsrtp2 libxml-2.0 libcrypto
BMSCSIM_LIBS := $(O)/libmikey.a $(O)/libmbmscommon.a
BMSCSIM_LDLIBS := $(shell $(PKG_CONFIG) --libs $(BMSCSIM_PKGS))
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
$(O)/tests/unit/bmscsim_%.o: CFLAGS += -I$(SRC)/bmsc-sim -I$(TOP)/tests/tools

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

# Loopback HTTP smoke test (curl --digest against 127.0.0.1, ephemeral port).
TEST_SCRIPTS += $(TOP)/tests/unit/bmscsim_http_smoke.sh
