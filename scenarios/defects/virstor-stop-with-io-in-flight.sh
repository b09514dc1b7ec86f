# Defect: `gvirstor stop` while a request is in flight panics the kernel.
#
# virstor_ctl_stop -> virstor_geom_destroy(sc, TRUE, TRUE) ->
# remove_component(..., delay=TRUE) closes each component consumer at once
# (seed lines 914-915) and posts delay_destroy_consumer (916-918), which
# g_detach()es it (883) without waiting for the requests still in flight
# on it. g_detach asserts there are none: "detach with active requests".
# A FreeBSD kernel with INVARIANTS panics the same way; without them the
# consumer is freed under the request, and its completion touches freed
# memory.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
# Reads of md1.nop take 10 s (-q 100: every read is delayed), so one is in
# flight when the device is stopped. md1.nop is a little smaller than md1
# so that virstor finds its metadata through md1.nop only.
gnop create -d 10000 -q 100 -s 31m md1
gvirstor label -m 1m -s 256m vs md0 md1.nop
# 29 data chunks fit on md0: the 30th lands on md1.nop.
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=30
dd if=/dev/virstor/vs of=/dev/null bs=1m skip=29 count=1 &
# dd reads 128 KiB at a time, each read 10 s in md1.nop. The stop first
# updates the metadata (update_metadata), whose read of md1.nop takes 10 s
# as well: started 5 s after dd's first read, it ends while dd's second
# is in flight, whatever the interleaving.
@sleep 5s
gvirstor stop vs
@expect panic detach with active requests
