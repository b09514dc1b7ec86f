# Adding components to a running device, and removing one.
#
# `gvirstor add` attaches new components on the fly (virstor_ctl_add):
# each gets its metadata written, then every component's metadata is
# updated with the new count. `gvirstor remove` only accepts components
# that hold no allocated chunk (VIRSTOR_PROVIDER_ALLOCATED clear); removing
# an allocated one is refused with a console message, not an error.
# (Removing the last of three or more components, or one in the middle,
# trips bugs of virstor_ctl_remove: see scenarios/defects/.)
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 256m vs md0
# Debug level 5 shows what virstor does (LVL_INFO messages).
sysctl kern.geom.virstor.debug=5
gvirstor add vs md1
gvirstor status vs
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=2
# md1 holds nothing yet: it can go.
gvirstor remove vs md1
@expect console contains Removed 1 component(s) from vs
gvirstor status vs
# md0 holds the map and data: removing it is refused (logged only).
gvirstor remove vs md0
@expect console contains Allocated provider md0 cannot be removed from vs
gvirstor status vs
# A provider that does not exist is an error.
gvirstor add vs md9
@expect fail "Invalid provider: 'md9'"
# The removed component's metadata was cleared: nothing tastes it.
true > /dev/md1
@expect console lacks GEOM_VIRSTOR
