# Stale components: the same device name with another id.
#
# Each label draws a random id (md_id) shared by the device's components;
# taste groups components by name and id. A second device labelled with
# the same name on other disks is a stranger: when both sets are present,
# the first one tasted wins, and the other's components are refused with
# create_virstor_geom's "Some stale or invalid components exist" error.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 128m vs md0 md1
gvirstor stop vs
# The same name, other disks: a new id.
gvirstor label -m 1m -s 128m vs md2 md3
@expect device /dev/virstor/vs
# md0 and md1 still carry the old metadata; tasting md0 finds a "vs"
# whose id does not match.
true > /dev/md0
@expect console contains Some stale or invalid components exist for virstor device named vs
gvirstor status vs
# Clearing the stale metadata is the cure the message asks for.
gvirstor clear md0 md1
true > /dev/md0
@expect console lacks GEOM_VIRSTOR
