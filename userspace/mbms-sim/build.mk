# userspace/mbms-sim: the evaluation of issue 6, a discrete-event simulation
# of N receivers and one BM-SC driven through mbmsd's own decision code.
#
# Fragments are read in name order and mbms-sim comes before mbmsd, so the
# policy archive is named by path rather than by MBMSD_POLICY_LIB.
MBMSSIM_OBJS := $(addprefix $(O)/mbms-sim/,params.o eventq.o model.o report.o)
MBMSSIM_LIB := $(O)/libmbmssim.a
MBMSSIM_DEPS := $(MBMSSIM_LIB) $(O)/libmbmspolicy.a $(O)/libmbmscommon.a

$(MBMSSIM_LIB): $(MBMSSIM_OBJS)
	$(AR) rcs $@ $^

PROGS += $(O)/bin/mbms-sim
MANPAGES += $(TOP)/Documentation/man/mbms-sim.1
$(O)/bin/mbms-sim: $(O)/mbms-sim/main.o $(MBMSSIM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# The claims of issue 6 (policy comparison, forged pulls, jitter versus
# capacity, determinism) on small populations; the CLI and its files.
TESTS += $(O)/tests/mbmssim_test
$(O)/tests/mbmssim_test: $(O)/tests/unit/mbmssim_test.o $(MBMSSIM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm
TEST_SCRIPTS += $(TOP)/tests/unit/mbmssim_cli.sh
