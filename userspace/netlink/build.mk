# userspace/netlink: libmbmsnl, the netlink facade (<mbms/nl.h>), the only
# code that talks to the mbms_srtp generic netlink family.  Variables for
# other fragments: see vars.mk.
include $(SRC)/netlink/vars.mk

NL_OBJS := $(addprefix $(O)/netlink/,nl.o msg.o names.o)
CFLAGS_netlink := $(NL_CFLAGS)

$(NL_LIB): $(NL_OBJS)
	$(AR) rcs $@ $^

all: $(NL_LIB)

# Requests and replies built and parsed without a kernel.
TESTS += $(O)/tests/mbmsctl_msg_test
$(O)/tests/unit/mbmsctl_msg_test.o: CFLAGS += $(NL_CFLAGS) -I$(SRC)/netlink
$(O)/tests/mbmsctl_msg_test: $(O)/tests/unit/mbmsctl_msg_test.o $(NL_LIB) \
		$(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

# libFuzzer target for the reply parsers (clang, ASan, UBSan); seeds in
# tests/fuzz/corpus/mbmsctl_nlmsg_fuzz/.
FUZZ_CC ?= clang
NL_FUZZ_SRCS := $(SRC)/netlink/msg.c $(SRC)/netlink/names.c \
	$(SRC)/common/secret.c $(SRC)/common/hex.c
FUZZERS += $(O)/fuzz/mbmsctl_nlmsg_fuzz
$(O)/fuzz/mbmsctl_nlmsg_fuzz: $(TOP)/tests/fuzz/mbmsctl_nlmsg_fuzz.c \
		$(NL_FUZZ_SRCS) $(SRC)/netlink/msg.h $(SRC)/include/mbms/nl.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 -D_GNU_SOURCE \
		-I$(TOP)/include/uapi -I$(SRC)/include -I$(SRC)/netlink \
		$(NL_CFLAGS) -o $@ $< $(NL_FUZZ_SRCS) $(NL_LIBS)
