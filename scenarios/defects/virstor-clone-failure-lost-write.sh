# Defect 11: a failed data clone leaves a chunk allocated in memory only.
#
# g_virstor_start, writing to a new chunk, marks the map entry, then clones
# the map sector and the data. If the data clone fails (seed 1748-1756) the
# map write is dropped but the entry stays allocated; GEOM retries the
# ENOMEM and the data alone is written. dd succeeds and reads back, but
# the on-disk map never learns of the chunk: the INVARIANTS check at unload
# reports it, and after the next taste the chunk reads as zeroes.
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0
# The 2nd bio cloned for virstor/vs from now on (the data) fails, once.
@fault g_clone_bio virstor/vs nth=2 count=1
dd if=/dev/random of=/dev/virstor/vs bs=4k seek=3072 count=1
@check /dev/virstor/vs
# The first unload fails by design (EAGAIN), after checking the map.
kldunload geom_virstor
@expect fail
@expect console contains "ALLOCATION TABLE CORRUPTED FOR vs (1 sectors don't match, max 64 allocations)"
# The device is gone and the class no longer tastes (g_unload_class bars
# it); the second unload succeeds, and loading the module again tastes
# md0: the map on disk says chunk 3 was never written.
kldunload geom_virstor
kldload geom_virstor
@expect device /dev/virstor/vs
@check /dev/virstor/vs
