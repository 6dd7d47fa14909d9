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
