# userspace/digest: HTTP Digest with qop auth-int (RFC 2617), shared by
# mbmsd (client) and bmsc-sim (server); see include/mbms/digest.h for why
# it is not libcurl's or libmicrohttpd's.
DIGEST_LIB := $(O)/libmbmsdigest.a
DIGEST_OBJS := $(O)/digest/digest.o

$(DIGEST_LIB): $(DIGEST_OBJS)
	$(AR) rcs $@ $^

TESTS += $(O)/tests/digest_test
$(O)/tests/digest_test: $(O)/tests/unit/digest_test.o $(DIGEST_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libcrypto)

FUZZERS += $(O)/fuzz/digest_parse_fuzz
$(O)/fuzz/digest_parse_fuzz: $(TOP)/tests/fuzz/digest_parse_fuzz.c $(SRC)/digest/digest.c \
		$(SRC)/include/mbms/digest.h $(SRC)/common/secret.c $(SRC)/common/hex.c
	@mkdir -p $(dir $@)
	$(MBMSD_FUZZ_CC) $(MBMSD_FUZZ_FLAGS) -o $@ $< $(SRC)/digest/digest.c \
		$(SRC)/common/secret.c $(SRC)/common/hex.c $(shell $(PKG_CONFIG) --libs libcrypto)
