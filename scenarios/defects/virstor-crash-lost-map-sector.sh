# Defect 24: a lost map sector makes taste hand out a chunk in use again.
# Found by `geomsim explore scenarios/explore/label-writes.sh` (crash state
# r22-16). Writes go to disks with a write-back cache; virstor never
# flushes. The power goes right after write log #22 completes; of the
# cached writes, #16 (the map sector holding virtual chunk 1's entry) is
# lost, the later map sector with virtual chunk 64's entry lands. At taste
# virstor recomputes chunk_next as reserved + allocated entries (2 + 2 = 4),
# but chunk 4 is virtual chunk 1's: the next allocation (virtual chunk 2,
# by the check's continuation) overwrites virtual chunk 1's data.
@seed 1
@crash after record 22 lose 16
@loader geom_virstor_load=YES
@disk ada0 8m cache=write-back
@disk ada1 8m cache=write-back
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=0 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=16 status=none
@virstor-check expect next-chunk-reused
@boot
@crash-check expect changed
