# mbms-srtp: top-level build.
#
#   make            module for every kernel of the test matrix + userspace
#   make check      deps, userspace unit tests (ASan/UBSan), fuzz smoke,
#                   lintian on the packages, kernel selftests in a VM on
#                   every kernel of the matrix (.ci/run adds make check-deb)
#   make demo       the end-to-end demo in a VM
#   make bench      benchmarks in a VM (see Documentation/performance.rst)
#   make check-fresh  `make demo` in a fresh debootstrapped Debian 12 root
#   make lint       checkpatch --strict, sparse, W=1 on the module
#   make oracle     the VLC RFC 4771 oracle (build/oracle/), host checks
#   make check-debug  selftests and e2e on a debug kernel (KASAN, KFENCE,
#                   UBSAN, lockdep, kmemleak), built once per machine
#   make install    module (current kernel or KVER=), tools, header, man pages
#   make deb        Debian packages into build/deb/ (mbms-srtp-dkms, -tools,
#                   -dev); make check-deb installs them and tests them in VMs
#
# The host kernel here cannot load modules, so the module is built against
# installed Debian headers, never `uname -r` by default.  KVER= picks one
# kernel; the default is every kernel that scripts/kernels.sh lists.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
# KVER may name a series ("6.12"): the newest installed kernel of it.  It
# is resolved when a recipe uses it, not when this file is parsed: on a
# fresh machine the headers are installed by the deps prerequisite, after
# parsing (a first `make demo` used to fail with "no kernel headers").
KVER_ARG := $(KVER)
override KVER = $(shell $(TOP)/scripts/kernels.sh --resolve \
	$(or $(KVER_ARG),$(shell $(TOP)/scripts/kernels.sh)))
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all module userspace check check-userspace check-kernel deps demo \
	bench fuzz lint install clean sim mutants ynl oracle deb check-lintian \
	check-deb check-fresh module-debug check-debug

all: module userspace

# Every target that builds needs the packages: module and userspace wait
# for deps (order-only), so `make`, `make demo`, `make check`... work on
# the first try.  Sub-makes (MAKELEVEL > 0) skip it: the top level ran it.
deps:
	@[ "$(MAKELEVEL)" != 0 ] || $(TOP)/scripts/deps.sh

# Each kernel gets its own copy of the tree so that objects built for one
# kernel never leak into another's build (6.1 Kbuild has no MO=).
module: | deps
	@test -n "$(KVER)" || { echo "make: no kernel headers of the test matrix installed (run scripts/deps.sh)" >&2; exit 1; }
	@set -e; for k in $(KVER); do \
		$(TOP)/scripts/mirror-kmod.sh "$$k" && \
		$(MAKE) -C /lib/modules/$$k/build M=$(BUILD)/kmod/$$k W=1 modules; \
	done

userspace: | deps
	$(MAKE) -C userspace

check-userspace: | deps
	$(MAKE) -C userspace check SAN=1

# Every suite runs on every kernel even when one fails; the kernels run
# side by side, one VM each (scripts/check-kernel.sh); the summary names
# the failures and the exit status says whether all passed.  '+': the
# bench smoke builds a module with make, which must get our jobserver.
check-kernel: module userspace ynl oracle
	+@$(TOP)/scripts/check-kernel.sh $(KVER)

# The RFC 4771 oracle for the selftest stage rcc_oracle: VLC's srtp.c from
# Debian's vlc source package (fetched once into /var/cache/mbms-srtp),
# built into build/oracle/, then checked on the host (tests/oracle/check.sh).
oracle: userspace
	@$(TOP)/scripts/vlc-oracle.sh
	@$(TOP)/tests/oracle/check.sh

# The kernel's ynl CLI and spec schemas, for the selftest stage ynl.
ynl: | deps
	@$(TOP)/scripts/ynl.sh > /dev/null

# Two phases.  1: the userspace tests (ASan/UBSan, fuzz smoke), then the
# packages and lintian, side by side with lint (lint's output prefixed
# "[lint] ", kept in build/check/lint.log): host CPU work only, sharing
# our -j slots.  2: the kernel suites in VMs, then the package install
# test (its VMs after the others: it changes the host's /lib/modules).  The VMs do not overlap phase 1 on purpose:
# under TCG each guest needs a whole host core, and CPU-bound builds and
# fuzzing next to them slow the guests and their timing-checked e2e stages.
CHECK_LOG := $(BUILD)/check
check: deps
	+@mkdir -p $(CHECK_LOG); rm -f $(CHECK_LOG)/lint.rc; fail=""; t0=$$(date +%s); \
	echo "==== $$(date -u +%T) make check: userspace tests and lint"; \
	{ { $(MAKE) --no-print-directory lint 2>&1; echo $$? > $(CHECK_LOG)/lint.rc; } | \
		tee $(CHECK_LOG)/lint.log | sed -u 's/^/[lint] /'; } & lint=$$!; \
	$(MAKE) check-userspace || fail="$$fail check-userspace"; \
	$(MAKE) check-lintian || fail="$$fail check-lintian"; \
	t1=$$(date +%s); wait $$lint; \
	[ "$$(cat $(CHECK_LOG)/lint.rc 2>/dev/null)" = 0 ] || fail="$$fail lint"; \
	t2=$$(date +%s); \
	echo "==== $$(date -u +%T) make check: kernel suites"; \
	$(MAKE) check-kernel || fail="$$fail check-kernel"; \
	t3=$$(date +%s); \
	echo "==== $$(date -u +%T) make check: userspace $$((t1 - t0))s, lint done $$((t2 - t0))s after start, kernel $$((t3 - t2))s, total $$((t3 - t0))s"; \
	if [ -n "$$fail" ]; then echo "make check: FAILED:$$fail"; exit 1; fi; \
	echo "make check: all passed"

# Debian packages, built in a copy of the tree (build/deb/src).
deb: | deps
	@$(TOP)/scripts/deb.sh

# lintian on the packages and the .changes: no error and no warning
# (justified exceptions: debian/*.lintian-overrides).
check-lintian: deb
	lintian --fail-on error,warning $(BUILD)/deb/*.changes

# The packages installed on this host with apt, the DKMS module loaded
# and decrypting in a VM of each kernel, then purged (tests/deb/install.sh).
# DEB_BUILT=1: test build/deb as it is (make check built it in phase 1).
# Not part of make check (its 25-minute budget): .ci/run runs it after.
check-deb: $(if $(DEB_BUILT),,deb) userspace
	@$(TOP)/tests/deb/install.sh
# The debug kernel (scripts/debug-kernel.sh builds it once per machine,
# in /var/cache/mbms-srtp/debug-kernel/) and the module built against its
# tree with W=1, into build/kmod/<its release>/ where the suites find it.
module-debug: | deps
	+@set -e; dk=$$($(TOP)/scripts/debug-kernel.sh); k=$$(cat $$dk/kernelrelease); \
	$(TOP)/scripts/mirror-kmod.sh "$$k"; \
	$(MAKE) -C $$dk/build M=$(BUILD)/kmod/$$k W=1 modules

# The selftests and e2e on the debug kernel; vm-run fails on any report
# in its log and on any kmemleak report naming the module
# (scripts/check-debug.sh).  PANIC_ON_WARN=1: the first warning panics.
# QUICK=1: the quick tier (the stages that cover every code path, shorter
# streams), what .ci/run runs.
check-debug: module-debug userspace ynl oracle
	@$(if $(filter 1,$(QUICK)),CHECK_DEBUG_QUICK=1 )$(TOP)/scripts/check-debug.sh

fuzz:
	$(MAKE) -C userspace fuzz

# The README's first command in a fresh debootstrapped Debian 12 root
# (tests/fresh-machine.sh): `make demo` once, then `make`.  Not part of
# `make check`: it installs every package from scratch (about 25 min).
# DEBUG=1: `make check-debug QUICK=1` twice instead, the first building
# the debug kernel in the fresh root, the second from its cache.
check-fresh: deps
	@$(TOP)/tests/fresh-machine.sh$(if $(filter 1,$(DEBUG)), --debug)

# Each datapath-security defence undone in turn: its tests must fail.
mutants: userspace
	@$(TOP)/tests/selftests/mutants.sh --kernel "$(firstword $(KVER))"

# '+': lint.sh's kernel builds use our jobserver.
lint: module
	+@$(TOP)/scripts/lint.sh

demo: deps all
	@$(TOP)/scripts/demo.sh

bench: deps all
	@$(TOP)/scripts/bench.sh --kernel "$(firstword $(KVER))"

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
