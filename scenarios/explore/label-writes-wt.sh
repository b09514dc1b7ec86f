# Workload for geomsim explore: the same label and writes as
# label-writes.sh, over write-through disks: a completed write is on
# stable media, so only the write in flight at the cut (with --torn) and
# the order of writes matter.
#   geomsim explore --torn scenarios/explore/label-writes-wt.sh
# explore-options: --torn
@loader geom_virstor_load=YES
@disk ada0 8m
@disk ada1 8m
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=0 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=16 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1040 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=32 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=48 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1 status=none
