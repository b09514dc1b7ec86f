# Workload for geomsim explore: writes, then the device is stopped (its
# metadata rewritten on the way) and comes back at the next boot; a
# write-back cache holds what virstor wrote.
#   geomsim explore scenarios/explore/stop.sh
@loader geom_virstor_load=YES
@disk ada0 8m cache=write-back
@disk ada1 8m cache=write-back
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=2 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
gvirstor stop vs
