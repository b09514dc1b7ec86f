# Stopping a device that is open, with and without -f.
#
# virstor_geom_destroy refuses to destroy an open device unless forced
# ("Device %s is still open." at LVL_ERROR, and EBUSY). But
# virstor_ctl_stop always passes force=TRUE, whatever -f says: `gvirstor
# stop` takes the device away from under its users either way, with only
# a warning (LVL_WARNING), and exits 0. Whoever holds it open gets ENXIO.
# (If requests are in flight at that moment, the kernel panics: see
# scenarios/defects/virstor-stop-with-io-in-flight.sh.)
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -m 1m -s 256m vs md0 md1
# A program holding the device open for 30 s (sh: `sleep 30 < dev`).
sleep 30 < /dev/virstor/vs &
gvirstor list vs
@expect stdout contains Mode: r1w0e0
gvirstor stop vs
@expect console contains Device virstor/vs is still open.
@expect no-device /dev/virstor/vs
@wait
# Bring it back (taste both components again) and do it with -f: the same.
true > /dev/md0
true > /dev/md1
@expect device /dev/virstor/vs
sleep 30 < /dev/virstor/vs &
gvirstor stop -f vs
@expect console contains Device virstor/vs is still open.
@expect no-device /dev/virstor/vs
@wait
