# Power loss in the middle of updating metadata on several components.
#
# `gvirstor add` writes the new component's metadata, then rewrites every
# component's metadata with the new count (update_metadata, one component
# after the other, no flush). The seed warns about it in
# virstor_ctl_add: "In case there's a power failure in the middle of it
# and some components are updated while others are not, there will be
# trouble on next .taste() iff a non-updated component is detected
# first". Here the power goes after the first two metadata writes.
@disk ada0 16m
@disk ada1 16m
@disk ada2 16m
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=4
@power-cut after 2 writes
gvirstor add vs ada2
@writelog
# Boot without virstor to look at the components as the cut left them.
@boot
gvirstor dump ada0 ada1 ada2
@expect stdout contains Active providers: 2
# ada0 says 3 components, ada1 and ada2 say 2. Loading virstor tastes
# them newest disk first: ada2 makes a 2-component "vs" it cannot join
# itself (its index is 2), the geom is dropped, ada1 makes it again and
# ada0 joins: the device comes back without ada2.
kldload geom_virstor
gvirstor status vs
@check /dev/virstor/vs
