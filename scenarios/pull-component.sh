# A component pulled out in the middle of a write.
#
# The disk under component md1 vanishes while a write to it is in flight.
# md(4) fails the requests it holds with ENXIO; GEOM orphans md1, and the
# event thread calls virstor's orphan method (g_virstor_orphan), which
# removes the component and, because it is gone, withdraws the whole
# device: virstor/vs is orphaned too. (At kern.geom.virstor.debug=5 it
# says "Removing provider vs", before or after the failed request's
# "Error 6" depending on the interleaving.)
# The writer gets an error; nothing it was told was written is lost.
# Under real threads (--sched threads) g_up may run g_virstor_done after
# the event thread freed md1's provider, and the kernel traps: defect 21,
# shown every time by defects/virstor-done-after-orphan.sh.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 128m vs md0 md1
dd if=/dev/random of=/dev/virstor/vs bs=1m count=13
# The next chunk is the first on md1: pull md1 when that write reaches it.
@pull md1 at WRITE md1 offset=0
dd if=/dev/random of=/dev/virstor/vs bs=1m count=1 seek=13
@expect fail Device not configured
@expect no-device /dev/virstor/vs
geom md list md1
@expect fail
mdconfig -l
