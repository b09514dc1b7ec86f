# Defect 12: the INVARIANTS check at unload counts every chunk as
# allocated.
#
# g_virstor_destroy_geom (seed 716-719) counts allocated map entries with
# `sc->map[n].flags || VIRSTOR_MAP_ALLOCATED != 0` ('||' for '&'), always
# true: a device with one chunk written "has 128 allocated chunks". The
# message is at LVL_INFO (5). (The first unload fails with EAGAIN by
# design: destroy_geom answers EAGAIN after destroying the device.)
@loader kern.geom.virstor.debug=5
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0
dd if=/dev/random of=/dev/virstor/vs bs=512 count=1
kldunload geom_virstor
@expect fail
@expect console contains GEOM_VIRSTOR[5]: Device vs has 128 allocated chunks
@expect console contains GEOM_VIRSTOR[5]: Allocation table ok for vs
