# userspace/mbmsctl: the command-line tool, and its unit tests.
# netlink/ sorts after this directory: take its variables now.
include $(SRC)/netlink/vars.mk

MBMSCTL_VERSION ?= 0.1
MBMSCTL_OBJS := $(addprefix $(O)/mbmsctl/,mbmsctl.o parse.o output.o \
	session.o flow.o key.o stats.o monitor.o)
CFLAGS_mbmsctl := -DMBMSCTL_VERSION='"$(MBMSCTL_VERSION)"'

PROGS += $(O)/bin/mbmsctl
MANPAGES += $(TOP)/Documentation/man/mbmsctl.8

$(O)/bin/mbmsctl: $(O)/mbmsctl/main.o $(MBMSCTL_OBJS) $(NL_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)

# Parsing, messages and output without a kernel: everything but main().
TESTS += $(O)/tests/mbmsctl_parse_test
$(O)/tests/unit/mbmsctl_parse_test.o: CFLAGS += -I$(SRC)/mbmsctl
$(O)/tests/mbmsctl_parse_test: $(O)/tests/unit/mbmsctl_parse_test.o \
		$(MBMSCTL_OBJS) $(NL_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)
