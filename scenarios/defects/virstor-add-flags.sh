# Defect 8: `gvirstor add` writes the new component's uninitialised flags.
#
# virstor_ctl_add (seed 391-398) fills in every field of the new array
# element but `flags`; realloc(9) does not zero, so fill_metadata (527)
# writes whatever was there: on an INVARIANTS kernel the low half of
# 0xdeadc0de, flags 0xc0de (bytes 90-91 of the metadata sector: de c0),
# where label writes 0. The "current" bit is set; nothing fails at once.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0
gvirstor add vs md1
dd if=/dev/md1 of=/var/tmp/md1.last bs=512 skip=65535 count=1
dd if=/var/tmp/md1.last of=/var/tmp/md1.flags bs=1 skip=90 count=2
# Not zero...
cmp /var/tmp/md1.flags /dev/zero
@expect exit 1
@expect stdout contains differ: char 1
# ...but de c0: bytes 92-93 of a metadata sector the kernel wrote are the
# first half of 0xdeadc0de (see virstor-metadata-tail.sh).
dd if=/var/tmp/md1.last of=/var/tmp/md1.trash bs=1 skip=92 count=2
cmp /var/tmp/md1.flags /var/tmp/md1.trash
