# Defect 25: component flags reach the disk only at close, and taste takes
# them from the disk as they are. Found by `geomsim explore --torn
# scenarios/explore/label-writes-wt.sh` (crash state r40). Write-through
# disks: every completed write is durable. The sixth allocation fills ada0
# and moves to ada1 (allocate_chunk sets ALLOCATED in memory); its map
# sector and data land, then the power goes before the dd closes the device
# and update_metadata writes the flags. After the reboot ada1 holds data but
# is not flagged ALLOCATED, and stays so (taste copies the flags, the next
# close writes them back unchanged): gvirstor remove, which refuses only
# components flagged allocated, lets ada1 go with its data.
@seed 1
@crash after record 40
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
@virstor-check expect flags-unallocated
@boot
gvirstor status
gvirstor remove vs ada1
gvirstor status
# ada1's chunk is gone; the map still names it, and taste will refuse it.
@virstor-check expect entry-out-of-range
