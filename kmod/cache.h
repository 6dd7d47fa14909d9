/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slab caches of the module's objects: sessions, flows and keys.
 */
#ifndef _MBMS_CACHE_H
#define _MBMS_CACHE_H

struct kmem_cache;

extern struct kmem_cache *mbms_session_cache;
extern struct kmem_cache *mbms_flow_cache;
extern struct kmem_cache *mbms_key_cache;

int mbms_caches_create(void);
void mbms_caches_destroy(void);

#endif /* _MBMS_CACHE_H */
