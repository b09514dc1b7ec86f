# Defect: a component added with `gvirstor add` lends out the chunk that
# holds its own metadata.
#
# label makes sure a component's last chunk does not cover its metadata
# sector ("Check to make sure last sector is unused"). virstor_ctl_add
# does not: chunk_count = mediasize / chunk_size (seed lines 395-396), so on a
# 16 MB disk with 1 MB chunks chunk 15 is handed out and data written
# there overwrites the metadata in the last sector. The device works until
# it is tasted again; then the component is a stranger, and the device
# stays incomplete.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 128m vs md0
gvirstor add vs md1
gvirstor dump md1
@expect stdout contains Chunks on provider: 16
# md0 holds 13 data chunks; the next 16 land on md1, the last one over
# md1's metadata.
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=29
gvirstor dump md1
@expect fail
gvirstor stop vs
true > /dev/md0
true > /dev/md1
@expect no-device /dev/virstor/vs
@expect console lacks Error
# Listing the incomplete device divides by its (zero) virtual chunk count
# in g_virstor_dumpconf: see virstor-list-incomplete.sh.
gvirstor list vs
@expect panic integer divide fault
