# Defect 15: a component refused for its sector size stays attached.
#
# add_provider_to_geom (seed 1155-1170) attaches a consumer, then returns
# EINVAL when the provider's sector size differs from the first
# component's, without detaching or destroying the consumer (the access
# failure just below does both). The stray consumer has no component in
# its private pointer; when its provider is spoiled (opened for writing)
# g_virstor_orphan's KASSERT fires.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1
gvirstor stop vs
# Move md1's metadata to a disk of the same size with 4 KiB sectors.
dd if=/dev/md1 of=/var/tmp/md1.last bs=512 skip=65535 count=1
dd if=/var/tmp/md1.last of=/var/tmp/md5.last bs=4096 conv=sync
mdconfig -d -u 1
mdconfig -a -t malloc -s 32m -S 4096 -u 5
true > /dev/md0
dd if=/var/tmp/md5.last of=/dev/md5 bs=4096 seek=8191 count=1 conv=notrunc
@expect console contains GEOM_VIRSTOR[1]: Provider md5 of vs has invalid sector size (4096)
@expect console contains GEOM_VIRSTOR[1]: Error adding md5 to vs (error 22)
# (vs waits, incomplete, for a component md1; listing it would panic:
# see virstor-list-incomplete.sh.) Now write to md5 while vs is closed.
true > /dev/md5
@expect panic g_virstor_orphan: No component in private part of consumer
