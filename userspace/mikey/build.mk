# userspace/mikey: libmikey, MIKEY (RFC 3830) with the TS 33.246 MBMS profile.
#
# Link $(MIKEY_LIB) $(COMMON_LIB) $(MIKEY_LDLIBS).  No I/O in the library.
include $(SRC)/mikey/vars.mk
MIKEY_SRCS := err.c crypto.c kdf.c decode.c ext.c profile.c keydata.c \
	verify.c rules.c encode.c sp.c
MIKEY_OBJS := $(addprefix $(O)/mikey/,$(MIKEY_SRCS:.c=.o))

$(MIKEY_LIB): $(MIKEY_OBJS)
	$(AR) rcs $@ $^

# Unit tests (C) and the independent Python PRF/KDF check.
TESTS += $(O)/tests/mikey_crypto_test $(O)/tests/mikey_codec_test \
	$(O)/tests/mikey_hostile_test $(O)/tests/mikey_rules_test
$(O)/tests/mikey_%_test: $(O)/tests/unit/mikey_%_test.o $(MIKEY_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(MIKEY_LDLIBS)

TEST_SCRIPTS += $(TOP)/tests/unit/mikey_prf_check.py
TEST_SCRIPTS += $(TOP)/tests/vectors/mikey/handbuilt.py

# libFuzzer: decoder + verify/decrypt path (clang, ASan, UBSan).
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-std=gnu11 -D_GNU_SOURCE -I$(SRC)/include
FUZZERS += $(O)/fuzz/mikey_decode_fuzz
$(O)/fuzz/mikey_decode_fuzz: $(TOP)/tests/fuzz/mikey_decode_fuzz.c \
		$(addprefix $(SRC)/mikey/,$(MIKEY_SRCS)) $(SRC)/mikey/mikey_int.h \
		$(SRC)/include/mbms/mikey.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(addprefix $(SRC)/mikey/,$(MIKEY_SRCS)) $(MIKEY_LDLIBS)

TEST_SCRIPTS += $(TOP)/tests/fuzz/run-smoke.sh
