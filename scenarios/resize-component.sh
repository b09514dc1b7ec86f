# Resizing a component under virstor (mdconfig -r, g_resize_provider).
#
# When a provider changes size, GEOM calls the resize method of each geom
# consuming it. A geom without one is left alone when the provider grows,
# and orphaned when it shrinks: it cannot know whether what it relied on
# is still there. virstor (stable/10) has no resize method, DEV has one
# (/dev/md1 stays, with its new size).
#
# Growing md1 changes nothing for virstor: its metadata still sits in the
# sector that was last, and it goes on using the chunk count it was
# labelled with. Shrinking md1 (md(4) wants -o force for that) orphans
# virstor's consumer of md1: g_virstor_orphan removes the component, and
# with it the device. A swap-backed md frees the pages past the new size,
# so virstor's metadata on md1 is gone too: growing md1 back does not
# bring vs back.
@loader kern.geom.virstor.debug=5
mdconfig -a -t swap -s 32m
mdconfig -a -t swap -s 32m
gvirstor label -m 1m -s 128m vs md0 md1
dd if=/dev/random of=/dev/virstor/vs bs=1m count=40
@expect data /dev/virstor/vs
mdconfig -r -u 1 -s 64m
diskinfo md1
gvirstor status
@expect data /dev/virstor/vs
# Shrinking is refused unless forced.
mdconfig -r -u 1 -s 16m
@expect fail Device busy
mdconfig -r -u 1 -s 16m -o force
diskinfo md1
@expect no-device /dev/virstor/vs
gvirstor status
mdconfig -r -u 1 -s 32m
true > /dev/md1
@expect no-device /dev/virstor/vs
gvirstor dump md1
@expect fail
# A malloc md cannot be resized in FreeBSD 10; a swap md only to whole pages.
mdconfig -a -t malloc -s 1m
mdconfig -r -u 2 -s 2m
@expect fail Operation not supported
mdconfig -r -u 0 -s 65537k
@expect fail Numerical argument out of domain
