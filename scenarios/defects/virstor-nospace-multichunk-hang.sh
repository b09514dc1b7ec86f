# Defect 2: a write spanning two chunks when only one is left hangs for
# good after `gvirstor add`, and its first chunk is lost at the next taste.
#
# g_virstor_start (seed 1670-1699) allocates chunk 63, queues its clones,
# finds no space for chunk 64 and parks the request, returning at 1698 with
# the clones never issued yet counted in bio_children. `gvirstor add`
# replays it (423-446) and bio_inbed never catches up (g_virstor_done
# 1564-1570): dd waits forever; the map never records chunk 63.
@loader geom_virstor_load=YES
# Hardware disks (@disk) survive the reboot that follows.
@disk ada0 24m
@disk ada1 32m
# ada0: 5 chunks of 4 MiB below the metadata, 2 of them for the map.
gvirstor label -s 512M vs ada0
dd if=/dev/random of=/dev/virstor/vs bs=4k count=1
dd if=/dev/random of=/dev/virstor/vs bs=4k seek=1024 count=1
# One chunk is left. 128 KiB at 256 MiB - 64 KiB, in one request: chunks
# 63 and 64, whose map entries are in different map sectors (64 entries
# per sector).
dd if=/dev/random of=/var/tmp/data bs=128k count=1
dd if=/var/tmp/data of=/dev/virstor/vs bs=192k seek=1365
@expect blocked
@expect console contains Delaying BIO (size=131072)
# Space arrives; the request is replayed, and never completes.
gvirstor add vs ada1
@sleep 60s
@echo dd is still waiting (no job notice), yet its data is there:
dd if=/dev/virstor/vs of=/var/tmp/back bs=64k skip=4095 count=2
cmp /var/tmp/data /var/tmp/back
# The bios in use (the g_bio zone's USED): dd's request and its clone,
# and the two lost clones.
vmstat -z
@expect stdout contains ",       4,"
# Nothing will release dd but a reboot. The map on disk never learnt of
# chunk 63: its first 64 KiB now read as zeroes (cmp reaches the end of
# the file without finding a difference).
@reboot
@expect device /dev/virstor/vs
dd if=/dev/virstor/vs of=/var/tmp/back bs=64k skip=4095 count=2
cmp /var/tmp/data /var/tmp/back
@expect exit 1
@expect stdout contains differ: char 1,
dd if=/dev/virstor/vs of=/var/tmp/back bs=64k skip=4095 count=1
cmp /var/tmp/back /dev/zero
@expect exit 1
@expect stderr contains EOF on /var/tmp/back
