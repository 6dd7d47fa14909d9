# mbms-srtp: top-level build.
#
#   make            module for every kernel of the test matrix + userspace
#   make check      deps, userspace unit tests (ASan/UBSan), fuzz smoke,
#                   kernel selftests in a VM on every kernel of the matrix
#   make demo       the end-to-end demo in a VM
#   make bench      benchmarks in a VM (see Documentation/performance.rst)
#   make lint       checkpatch --strict, sparse, W=1 on the module
#   make install    module (current kernel or KVER=), tools, header, man pages
#
# The host kernel here cannot load modules, so the module is built against
# installed Debian headers, never `uname -r` by default.  KVER= picks one
# kernel; the default is every kernel that scripts/kernels.sh lists.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
KVER ?= $(shell $(TOP)/scripts/kernels.sh)
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all module userspace check check-userspace check-kernel deps demo \
	bench fuzz lint install clean sim

all: module userspace

deps:
	@$(TOP)/scripts/deps.sh

# Each kernel gets its own copy of the tree so that objects built for one
# kernel never leak into another's build (6.1 Kbuild has no MO=).
module:
	@test -n "$(KVER)" || { echo "make: no kernel headers of the test matrix installed (run scripts/deps.sh)" >&2; exit 1; }
	@set -e; for k in $(KVER); do \
		$(TOP)/scripts/mirror-kmod.sh "$$k" && \
		$(MAKE) -C /lib/modules/$$k/build M=$(BUILD)/kmod/$$k W=1 modules; \
	done

userspace:
	$(MAKE) -C userspace

check-userspace:
	$(MAKE) -C userspace check SAN=1

# Every suite runs on every kernel even when one fails; the summary names
# the failures and the exit status says whether all passed.
check-kernel: module userspace
	@fail=""; for k in $(KVER); do \
		$(TOP)/scripts/vm-run --kernel "$$k" --timeout 1800 -- tests/selftests/run.sh || fail="$$fail selftests@$$k"; \
		$(TOP)/scripts/vm-run --kernel "$$k" --timeout 900 -- tests/e2e/run.sh || fail="$$fail e2e@$$k"; \
	done; \
	$(TOP)/scripts/bench.sh --smoke --kernel "$(firstword $(KVER))" || fail="$$fail bench-smoke"; \
	if [ -n "$$fail" ]; then echo "check-kernel: FAILED:$$fail"; exit 1; fi; \
	echo "check-kernel: all suites passed on: $(KVER)"

check: deps
	@fail=""; \
	$(MAKE) check-userspace || fail="$$fail check-userspace"; \
	$(MAKE) lint || fail="$$fail lint"; \
	$(MAKE) check-kernel || fail="$$fail check-kernel"; \
	if [ -n "$$fail" ]; then echo "make check: FAILED:$$fail"; exit 1; fi; \
	echo "make check: all passed"

fuzz:
	$(MAKE) -C userspace fuzz

lint: module
	@$(TOP)/scripts/lint.sh

demo: deps all
	@$(TOP)/scripts/demo.sh

bench: deps all
	@$(TOP)/scripts/bench.sh

# The evaluation of the seed's proposal (Documentation/evaluation.rst).
sim: userspace
	$(TOP)/scripts/sim.sh

install: userspace
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 include/uapi/linux/mbms_srtp.h \
		$(DESTDIR)$(PREFIX)/include/linux/mbms_srtp.h
	@set -e; for k in $(KVER); do \
		$(TOP)/scripts/mirror-kmod.sh "$$k" && \
		$(MAKE) -C /lib/modules/$$k/build M=$(BUILD)/kmod/$$k modules && \
		install -D -m 0644 $(BUILD)/kmod/$$k/kmod/mbms_srtp.ko \
			$(DESTDIR)/lib/modules/$$k/updates/mbms_srtp.ko; \
		[ -n "$(DESTDIR)" ] || depmod -a "$$k"; \
	done

clean:
	rm -rf $(BUILD)
	$(MAKE) -C userspace clean
