# libmbmsnl: variables for every fragment that links the netlink facade.
#
# Make expands prerequisites when it reads a rule, and fragments are read
# in directory order, so a fragment that sorts before netlink/ (mbmsctl/,
# mbmsd/) must include this file itself before using the variables:
#
#	include $(SRC)/netlink/vars.mk
#	$(O)/bin/prog: $(PROG_OBJS) $(NL_LIB) $(COMMON_LIB)
#		$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS)
#
#   NL_LIB     the static archive $(O)/libmbmsnl.a (link it before COMMON_LIB)
#   NL_LIBS    external libraries it needs (libnl-genl-3, libnl-3)
#   NL_CFLAGS  include flags for code that includes libnl headers itself;
#              <mbms/nl.h> does not, so users of the facade need none
ifndef NL_LIB
NL_LIB := $(O)/libmbmsnl.a
NL_CFLAGS := $(or $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null),-I/usr/include/libnl3)
NL_LIBS := $(or $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null),-lnl-genl-3 -lnl-3)
endif
