# Defect 13: metadata sectors written by the kernel carry uninitialised
# memory.
#
# write_metadata (seed 1048-1049) encodes the 92 bytes of metadata into a
# sector-sized malloc(9) buffer without M_ZERO and writes it all. label
# zeroes the rest; the kernel leaves 0xdeadc0de there (on a production
# kernel, whatever the heap held: kernel memory leaked to disk). It happens
# at once: the last close of virstor/vs after its taste rewrites it.
mdconfig -a -t malloc -s 32m
# First what label writes, with tasting off so that the kernel keeps out.
sysctl kern.geom.notaste=1
gvirstor label -s 512M vs md0
dd if=/dev/md0 of=/var/tmp/label.last bs=512 skip=65535 count=1
sysctl kern.geom.notaste=0
# Now let virstor take md0.
true > /dev/md0
@expect device /dev/virstor/vs
dd if=/dev/md0 of=/var/tmp/kernel.last bs=512 skip=65535 count=1
# The same metadata, up to byte 92 (char 93 counting from 1).
cmp /var/tmp/label.last /var/tmp/kernel.last
@expect exit 1
@expect stdout contains differ: char 93,
# From there on: not zeroes, but 105 times the same 4 bytes (de c0 ad de).
dd if=/var/tmp/kernel.last of=/var/tmp/tail bs=4 skip=23
cmp /var/tmp/tail /dev/zero
@expect exit 1
dd if=/var/tmp/kernel.last of=/var/tmp/tail.a bs=4 skip=23 count=104
dd if=/var/tmp/kernel.last of=/var/tmp/tail.b bs=4 skip=24 count=104
cmp /var/tmp/tail.a /var/tmp/tail.b
