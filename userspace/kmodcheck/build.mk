# userspace/kmodcheck: checks of the kernel module that need no kernel.
# spec_check.py: Documentation/netlink/specs/mbms_srtp.yaml, the uapi
# header and kmod/netlink.c's policy table and ops must agree.
TEST_SCRIPTS += $(TOP)/tests/unit/spec_check.py
