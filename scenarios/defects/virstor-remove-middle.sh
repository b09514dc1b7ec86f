# Defect 6: after removing a middle component the device never comes back.
#
# virstor_ctl_remove renumbers the components' index in the old array,
# which it then frees (seed 618-624), installs the new array unrenumbered
# (631), and nothing rewrites the component number `no` on disk
# (update_metadata, 488-494, updates chunk_next, flags and md_count only).
# md2 keeps no=2 in a device of 2: at the next taste add_provider_to_geom
# refuses it (EINVAL) and /dev/virstor/vs, with its data, stays away.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1 md2
dd if=/dev/random of=/dev/virstor/vs bs=64k count=16
gvirstor remove vs md1
@expect console lacks cannot be removed
# The device works until it is tasted again.
@expect data /dev/virstor/vs
gvirstor stop vs
true > /dev/md0
true > /dev/md2
@expect console contains Error adding md2 to vs (error 22)
@expect no-device /dev/virstor/vs
