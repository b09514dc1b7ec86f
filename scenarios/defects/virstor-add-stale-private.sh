# Defect 7: after `gvirstor add` the consumers point into a freed array.
#
# virstor_ctl_add (seed 387-398) grows the component array with realloc(9)
# and updates no consumer's cp->private, nor sets the new one's. Then
# g_virstor_dumpconf (1487-1502) lists freed memory (0xdeadc0de =
# 3735929054) and skips the new component; spoiling the new component trips
# g_virstor_orphan's KASSERT (1401-1404); spoiling an old one follows the
# trashed pointer (remove_component 898-903): a general protection fault.
@loader geom_virstor_load=YES
# Hardware disks (@disk) survive the first panic.
@disk ada0 32m
@disk ada1 32m
@disk ada2 32m
gvirstor label -s 512M vs ada0
gvirstor add vs ada1
gvirstor list vs
@expect stdout contains ComponentIndex: 3735929054
@expect stdout lacks ComponentIndex: 1
# Opening the new component for writing while vs is closed spoils it.
true > /dev/ada1
@expect panic g_virstor_orphan: No component in private part of consumer
# A fresh taste rebuilds the pointers: vs comes back with both disks.
@boot
@expect device /dev/virstor/vs
gvirstor add vs ada2
# Now spoil an old component: its private pointer is into freed memory.
true > /dev/ada0
@expect panic general protection fault
@expect console contains Fatal trap 9: general protection fault while in kernel mode
