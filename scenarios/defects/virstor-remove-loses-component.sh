# Defect 5a: `gvirstor remove` of a middle component silently loses the
# last one.
#
# virstor_ctl_remove (seed 605-609) copies the tail of the component array
# with `found` elements instead of n_components - found - 1. Removing the
# 2nd of 4 (found = 1) copies md2 but not md3, whose slot in the new array
# stays zero. The device now counts as incomplete for good: update_metadata
# quietly writes nothing (md_count stays 4 on disk), and add/remove refuse.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1 md2 md3
# md1 holds no chunk: it may go. Nothing says anything went wrong.
gvirstor remove vs md1
gvirstor status vs
gvirstor add vs md4
@expect fail Virstor vs is incomplete
@expect console contains Cannot add components to incomplete virstor vs
# The metadata still says 4 components.
gvirstor dump md0
@expect stdout contains Active providers: 4
