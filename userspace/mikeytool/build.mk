# userspace/mikeytool: decode and build MBMS MIKEY messages (debugging, tests).
MIKEYTOOL_OBJS := $(addprefix $(O)/mikeytool/,main.o decode.o encode.o io.o print.o)

PROGS += $(O)/bin/mikeytool
MANPAGES += $(TOP)/Documentation/man/mikeytool.1

$(O)/bin/mikeytool: $(MIKEYTOOL_OBJS) $(MIKEY_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(MIKEY_LDLIBS)

# CLI behaviour (exit codes, JSON fields, round trips) and tshark interop.
TEST_SCRIPTS += $(TOP)/tests/unit/mikey_tool_test.sh $(TOP)/tests/interop/mikey_tshark.sh
