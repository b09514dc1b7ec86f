# Workload for geomsim explore: a label, then writes that allocate chunks
# in both map sectors (virtual chunks 0-63 and 64-127) and on both
# components, over disks with a write-back cache. virstor never flushes:
# what a crash keeps of its map and metadata is the cache's choice.
#   geomsim explore scenarios/explore/label-writes.sh
# ada0 holds the map (2 reserved chunks) and physical chunks 2..6, ada1
# chunks 0..6: the six first writes fill ada0 and spill onto ada1.
@loader geom_virstor_load=YES
@disk ada0 8m cache=write-back
@disk ada1 8m cache=write-back
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=0 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=16 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1040 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=32 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=48 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1 status=none
