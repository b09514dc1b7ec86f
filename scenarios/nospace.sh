# Running out of physical space: writes wait until a component is added.
#
# virstor promises more space than it has. When a write needs a chunk and
# no component has one left, g_virstor_start parks the request on its
# delayed queue ("Delaying BIO ... until free physical space can be
# found") and the writer simply waits. `gvirstor add` gives the device a
# new component and replays the delayed requests (virstor_ctl_add), and
# the writer goes on.
mdconfig -a -t malloc -s 8m
mdconfig -a -t malloc -s 8m
gvirstor label -m 1m -s 64m vs md0
gvirstor list vs
# md0 has 7 chunks, 2 of them reserved for the map: 5 MB of data fit.
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=5
# The sixth megabyte has nowhere to go: dd waits.
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=1 seek=5
@expect blocked
@expect console contains All physical space allocated for vs
gvirstor add vs md1
@wait
gvirstor status vs
