# Defect 1: a DELETE (TRIM) that crosses a chunk boundary panics.
#
# g_virstor_start (seed lines 1612, 1629-1655, 1767) walks a request chunk
# by chunk with a data pointer that starts at bio_data and advances by each
# chunk's length. A DELETE has no data (bio_data is NULL), so from the
# second chunk on the clone gets a small non-NULL bio_data (1652), and
# g_io_request's KASSERT fires: "non-NULL bp->data in g_io_request(cmd=4)".
# A DELETE inside one chunk is fine. (trim(8) is FreeBSD 12.1's program.)
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0
# The last 4 KiB of chunk 0 and the first 4 KiB of chunk 1 (4 MiB chunks).
dd if=/dev/random of=/dev/virstor/vs bs=4k seek=1023 count=2
# Inside chunk 0: works.
trim -f -o 4190208 -l 4096 /dev/virstor/vs
# Across the boundary at 4194304: the second clone carries bio_data 512.
trim -f -o 4193792 -l 1024 /dev/virstor/vs
@expect panic "non-NULL bp->data in g_io_request(cmd=4)"
