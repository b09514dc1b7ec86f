# Defect 10: `gvirstor stop` without -f takes an open device away.
#
# virstor_ctl_stop fetches the "force" flag (seed 217-221), then calls
# virstor_geom_destroy(sc, TRUE, TRUE) (247-250): always forced. An open
# device should be refused (EBUSY, "Device %s is still open." at
# LVL_ERROR); instead stop exits 0, logs the message at level 2 and
# destroys the device under its user: the parked write fails with EIO.
# (A failed destroy would go unreported too, but forced it cannot fail.)
mdconfig -a -t malloc -s 24m
gvirstor label -s 512M vs md0
# md0 has 3 chunks for data: fill them.
dd if=/dev/random of=/dev/virstor/vs bs=4k count=1 seek=0
dd if=/dev/random of=/dev/virstor/vs bs=4k count=1 seek=1024
dd if=/dev/random of=/dev/virstor/vs bs=4k count=1 seek=2048
# A fourth chunk: the write is parked and dd keeps the device open.
dd if=/dev/random of=/dev/virstor/vs bs=4k count=1 seek=10240
@expect blocked
gvirstor stop vs
@expect ok
@expect console contains GEOM_VIRSTOR[2]: Device virstor/vs is still open.
@wait
@expect no-device /dev/virstor/vs
