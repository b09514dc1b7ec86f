# Defect 5b: `gvirstor remove` of the last of three components writes past
# the end of the new component array.
#
# virstor_ctl_remove (seed 605-609) copies the tail with `found` elements
# instead of n_components - found - 1: for the last of 3 (found = 2) it
# copies two elements from past the end of the old array into slots 2
# and 3 of the new one, which has 3 (n_components, not n - 1): the second
# lands past its end. Nothing shows until the array is freed, at
# `gvirstor stop`: a DEBUG_REDZONE kernel reports the overflow there.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1 md2
gvirstor remove vs md2
gvirstor stop vs
@expect console contains REDZONE: Buffer overflow detected.
@expect finding REDZONE: Buffer overflow detected.
