# Defect 22: an invalid map entry is reported by reading past the
# component array.
#
# At taste, virstor_check_and_run checks every map entry. For one whose
# provider_no is out of range it logs the entry, and the log line reads
# sc->components[provider_no].chunk_count: the very index it just
# rejected (seed 1339-1348). Here vs has one component, so the array
# holds one 40-byte element, and a map entry naming component 1 makes
# the kernel read 20 bytes past the array's end. In the simulator that
# is the allocation's slack, filled with 0xa5: chunk_count 2779096485
# (0xa5a5a5a5). On FreeBSD it is whatever kernel memory follows. The
# device is not created.
#
# The map is the first sector of md0 (64 chunks of 8 bytes);
# virstor-bad-map-entry.img is that sector with entry 0 set to flags 1
# (allocated), provider_no 1, provider_chunk 0.
@image /var/tmp/entry.img virstor-bad-map-entry.img ro
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 64m vs md0
gvirstor stop vs
# Writing the sector and closing md0 makes GEOM taste md0 again.
dd if=/var/tmp/entry.img of=/dev/md0 bs=512 count=1 conv=notrunc
@expect no-device /dev/virstor/vs
@expect console contains chunk_count: 2779096485
