# userspace/mbmsd: the key-management daemon.
#
# libmbmspolicy.a is the pure decision code (policy.c, no I/O), linked by
# mbmsd and by the simulator of issue 6.  libmbmsd.a holds the rest of the
# daemon's pieces so that unit tests and fuzzers link exactly that code.
# Link to a temporary name, then rename: helpers share build/, and a
# `make check` that runs a test while another make relinks it must never
# execute a half-written binary or fail with ETXTBSY.
MBMSD_LINK = $(CC) $(LDFLAGS) -o $@.$$$$.tmp $(1) && mv -f $@.$$$$.tmp $@ || \
	{ rm -f $@.$$$$.tmp; false; }

MBMSD_POLICY_LIB := $(O)/libmbmspolicy.a
MBMSD_POLICY_OBJS := $(O)/mbmsd/policy.o

$(MBMSD_POLICY_LIB): $(MBMSD_POLICY_OBJS)
	$(AR) rcs $@ $^

TESTS += $(O)/tests/mbmsd_policy_test
$(O)/tests/mbmsd_policy_test: $(O)/tests/unit/mbmsd_policy_test.o $(MBMSD_POLICY_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(call MBMSD_LINK,$^)

# The daemon's pieces other than policy, for mbmsd and its tests.
include $(SRC)/netlink/vars.mk
MBMSD_OBJS := $(addprefix $(O)/mbmsd/,config.o store.o gba.o xml.o http.o worker.o \
	kernel.o state.o rx.o requests.o status.o metrics.o loop.o) $(DIGEST_OBJS)
MBMSD_LIB := $(O)/libmbmsd.a
# libmicrohttpd: the opt-in /metrics endpoint (metrics.c).
MBMSD_LIBS := $(shell $(PKG_CONFIG) --libs inih libcrypto libcurl libxml-2.0 libmicrohttpd) \
	$(NL_LIBS) -lpthread
CFLAGS_mbmsd := $(shell $(PKG_CONFIG) --cflags libxml-2.0 libcurl libmicrohttpd)
# journald and sd_notify when libsystemd is there (Type=notify).
ifneq ($(shell $(PKG_CONFIG) --exists libsystemd && echo y),)
CFLAGS_mbmsd += -DHAVE_LIBSYSTEMD
MBMSD_SYSTEMD_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd)
endif
# libmikey and libmbmsnl: their fragments sort after this one.
include $(SRC)/mikey/vars.mk
MBMSD_MIKEY_LIB := $(MIKEY_LIB)

$(MBMSD_LIB): $(MBMSD_OBJS)
	$(AR) rcs $@ $^

SBIN_PROGS += $(O)/bin/mbmsd
MANPAGES += $(TOP)/Documentation/man/mbmsd.8 $(TOP)/Documentation/man/mbmsd.conf.5
$(O)/bin/mbmsd: $(O)/mbmsd/mbmsd.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(NL_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS) $(MBMSD_SYSTEMD_LIBS))

TESTS += $(O)/tests/mbmsd_config_test
$(O)/tests/mbmsd_config_test: $(O)/tests/unit/mbmsd_config_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS))

TESTS += $(O)/tests/mbmsd_store_test
$(O)/tests/mbmsd_store_test: $(O)/tests/unit/mbmsd_store_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS))

TESTS += $(O)/tests/mbmsd_gba_test
$(O)/tests/mbmsd_gba_test: $(O)/tests/unit/mbmsd_gba_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS))

# libFuzzer targets (clang, ASan, UBSan): the parsers of untrusted bytes.
MBMSD_FUZZ_CC ?= clang
MBMSD_FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -std=gnu11 -D_GNU_SOURCE \
	-I$(TOP)/include/uapi -I$(SRC)/include -I$(SRC)/mbmsd
FUZZERS += $(O)/fuzz/mbmsd_store_fuzz
$(O)/fuzz/mbmsd_store_fuzz: $(TOP)/tests/fuzz/mbmsd_store_fuzz.c \
		$(SRC)/mbmsd/store.c $(SRC)/mbmsd/policy.c \
		$(SRC)/mbmsd/store.h $(SRC)/mbmsd/policy.h $(SRC)/common/secret.c \
		$(SRC)/common/hex.c
	@mkdir -p $(dir $@)
	$(MBMSD_FUZZ_CC) $(MBMSD_FUZZ_FLAGS) -o $@ $< $(SRC)/mbmsd/store.c \
		$(SRC)/mbmsd/policy.c $(SRC)/common/secret.c $(SRC)/common/hex.c

TESTS += $(O)/tests/mbmsd_http_test
$(O)/tests/unit/mbmsd_http_test.o: CFLAGS += $(shell $(PKG_CONFIG) --cflags libxml-2.0 libmicrohttpd)
$(O)/tests/mbmsd_http_test: $(O)/tests/unit/mbmsd_http_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS) $(shell $(PKG_CONFIG) --libs libmicrohttpd) -lpthread)

FUZZERS += $(O)/fuzz/mbmsd_xml_fuzz
$(O)/fuzz/mbmsd_xml_fuzz: $(TOP)/tests/fuzz/mbmsd_xml_fuzz.c $(SRC)/mbmsd/xml.c \
		$(SRC)/mbmsd/xml.h $(SRC)/common/num.c
	@mkdir -p $(dir $@)
	$(MBMSD_FUZZ_CC) $(MBMSD_FUZZ_FLAGS) $(shell $(PKG_CONFIG) --cflags libxml-2.0) \
		-o $@ $< $(SRC)/mbmsd/xml.c $(SRC)/common/num.c \
		$(shell $(PKG_CONFIG) --libs libxml-2.0 libcrypto)

TESTS += $(O)/tests/mbmsd_kernel_test
$(O)/tests/mbmsd_kernel_test: $(O)/tests/unit/mbmsd_kernel_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(NL_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS))

TESTS += $(O)/tests/mbmsd_rx_test
$(O)/tests/mbmsd_rx_test: $(O)/tests/unit/mbmsd_rx_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(NL_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS) $(MBMSD_SYSTEMD_LIBS))

# The worker and requests.c end to end: bootstrap script, in-process BM-SC.
TESTS += $(O)/tests/mbmsd_requests_test
$(O)/tests/unit/mbmsd_requests_test.o: CFLAGS += $(shell $(PKG_CONFIG) --cflags libxml-2.0 libmicrohttpd)
$(O)/tests/mbmsd_requests_test: $(O)/tests/unit/mbmsd_requests_test.o $(MBMSD_LIB) $(MBMSD_POLICY_LIB) $(MBMSD_MIKEY_LIB) $(NL_LIB) $(COMMON_LIB)
	$(call MBMSD_LINK,$^ $(MBMSD_LIBS) $(MBMSD_SYSTEMD_LIBS) $(shell $(PKG_CONFIG) --libs libmicrohttpd) -lpthread)

# Runs $(O)/bin/mbmsd (built by `make check` before the tests run).
TESTS += $(O)/tests/mbmsd_cli_test
$(O)/tests/mbmsd_cli_test: $(O)/tests/unit/mbmsd_cli_test.o
	$(call MBMSD_LINK,$^)

# mbmsd under systemd without systemd: sd_notify READY=1/STATUS= to a
# socket the test owns, journald entries to a /run/systemd/journal/socket
# it binds in a private mount namespace (root only, else SKIP).
TESTS += $(O)/tests/mbmsd_systemd_test
$(O)/tests/unit/mbmsd_systemd_test.o: CFLAGS += $(filter -DHAVE_LIBSYSTEMD,$(CFLAGS_mbmsd))
$(O)/tests/mbmsd_systemd_test: $(O)/tests/unit/mbmsd_systemd_test.o
	$(call MBMSD_LINK,$^ $(shell $(PKG_CONFIG) --libs libcrypto))

# contrib/systemd/mbmsd.service through systemd-analyze verify.
TEST_SCRIPTS += $(TOP)/tests/unit/mbmsd_unit_verify.sh

# The opt-in /metrics endpoint of a --no-kernel mbmsd, parsed with
# prometheus_client and compared with `mbmsd status -j`.
TEST_SCRIPTS += $(TOP)/tests/unit/mbmsd_metrics_check.py
