# userspace/common: helpers linked into every program (static archive).
COMMON_LIB := $(O)/libmbmscommon.a
COMMON_OBJS := $(addprefix $(O)/common/,hex.o num.o secret.o json.o log.o \
	prom.o srtp_rcc.o)

$(COMMON_LIB): $(COMMON_OBJS)
	$(AR) rcs $@ $^

TESTS += $(O)/tests/common_test
$(O)/tests/common_test: $(O)/tests/unit/common_test.o $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^

TESTS += $(O)/tests/srtp_rcc_test
$(O)/tests/srtp_rcc_test: $(O)/tests/unit/srtp_rcc_test.o $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^
