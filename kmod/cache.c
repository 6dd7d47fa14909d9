// SPDX-License-Identifier: GPL-2.0
/*
 * One slab cache per object type (mbms_session, mbms_flow, mbms_key), so
 * that a leak is caught without a KASAN or kmemleak kernel: at module
 * exit kmem_cache_destroy() of a cache that still holds objects WARNs
 * ("Slab cache still has objects"), which the VM runner treats as a
 * failure, and /proc/slabinfo shows exactly how many of each exist and
 * what they cost.
 *
 * SLAB_STORE_USER keeps the caches apart from every other cache (Debian
 * kernels merge caches of similar size by default, and a merged cache
 * neither reports leaks at destroy nor shows up under its own name; 6.1
 * has no SLAB_NO_MERGE) and makes a leak report name the function that
 * allocated the object.  Its cost, a stack trace per allocation and free,
 * is paid on the control path only: the packet path allocates nothing.
 *
 * SLAB_ACCOUNT charges every object to the memory cgroup of the task that
 * asked for it over netlink (as GFP_KERNEL_ACCOUNT does for the other
 * allocations made on a caller's behalf), so that an unprivileged
 * container cannot pin kernel memory beyond its memory.max.
 */
#include <linux/slab.h>

#include "cache.h"
#include "flow.h"
#include "key.h"
#include "session.h"

#define MBMS_CACHE_FLAGS	(SLAB_STORE_USER | SLAB_ACCOUNT)

struct kmem_cache *mbms_session_cache;
struct kmem_cache *mbms_flow_cache;
struct kmem_cache *mbms_key_cache;

/**
 * mbms_caches_create() - create the caches, at module init
 *
 * Return: 0 or -ENOMEM.
 */
int mbms_caches_create(void)
{
	mbms_session_cache = KMEM_CACHE(mbms_session, MBMS_CACHE_FLAGS);
	mbms_flow_cache = KMEM_CACHE(mbms_flow, MBMS_CACHE_FLAGS);
	mbms_key_cache = KMEM_CACHE(mbms_key, MBMS_CACHE_FLAGS);
	if (mbms_session_cache && mbms_flow_cache && mbms_key_cache)
		return 0;
	mbms_caches_destroy();
	return -ENOMEM;
}

/**
 * mbms_caches_destroy() - destroy the caches, at module exit
 *
 * Every object must have been freed: after rcu_barrier() (call_rcu()
 * frees) and destroy_workqueue() (queue_rcu_work() frees).
 */
void mbms_caches_destroy(void)
{
	kmem_cache_destroy(mbms_key_cache);
	kmem_cache_destroy(mbms_flow_cache);
	kmem_cache_destroy(mbms_session_cache);
	mbms_key_cache = NULL;
	mbms_flow_cache = NULL;
	mbms_session_cache = NULL;
}
