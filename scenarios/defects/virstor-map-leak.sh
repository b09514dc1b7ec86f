# Defect 16: a component that comes back leaks the previous map.
#
# When a component of a complete device is spoiled (or orphaned) and
# tasted again, virstor_check_and_run runs a second time on the same softc
# and allocates sc->map anew (seed 1231-1233) without freeing the old one.
# The device comes back with its data, but each return leaks one map
# (map_size bytes, 1 KiB here, of malloc type gvirstor): after the device
# is stopped, `vmstat -m` still shows them in use, and kldunload warns.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=4
# Opening md1 for writing while vs is closed spoils virstor's consumer:
# the provider goes, and comes back when md1 is tasted at the close.
true > /dev/md1
@expect device /dev/virstor/vs
true > /dev/md1
@expect device /dev/virstor/vs
@expect data /dev/virstor/vs
gvirstor stop vs
@expect no-device /dev/virstor/vs
vmstat -m
@expect stdout contains "     gvirstor     2"
# Unloading the module (no device left: it succeeds) reports the leak.
kldunload geom_virstor
@expect console contains Warning: memory type gvirstor leaked memory on destroy
