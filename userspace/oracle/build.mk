# tests/unit/srtp_rcc_vlc_test: srtp_rcc_reframe() (userspace/common/
# srtp_rcc.c, the RFC 4771 framing of issue 15) reproduces the VLC oracle's
# known answers, tests/vectors/rcc-vlc.txt, from libsrtp2-protected packets.
# srtp_rcc.c comes from another branch of issue 15: until it is in the tree
# this test is not built (it cannot link).
ifneq ($(wildcard $(SRC)/common/srtp_rcc.c),)
RCCVLC_LDLIBS := $(shell $(PKG_CONFIG) --libs libsrtp2 2>/dev/null || echo -lsrtp2)
TESTS += $(O)/tests/srtp_rcc_vlc_test
$(O)/tests/srtp_rcc_vlc_test: $(O)/tests/unit/srtp_rcc_vlc_test.o \
		$(O)/common/srtp_rcc.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(RCCVLC_LDLIBS)
endif
