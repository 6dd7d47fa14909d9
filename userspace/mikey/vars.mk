# libmikey: variables for fragments that link it.  Fragments that sort
# before mikey/ must include this file before using them in a rule:
#
#	include $(SRC)/mikey/vars.mk
#	$(O)/bin/prog: $(PROG_OBJS) $(MIKEY_LIB) $(COMMON_LIB)
#		$(CC) $(LDFLAGS) -o $@ $^ $(MIKEY_LDLIBS)
MIKEY_LIB := $(O)/libmikey.a
MIKEY_LDLIBS := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
