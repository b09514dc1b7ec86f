# Power loss between a chunk's map update and its data.
#
# The first write to a virtual chunk allocates a physical chunk and sends
# two requests together (g_virstor_start): the map sector, to the first
# component, and the data. Nothing orders them beyond the elevator,
# nothing flushes. Here both go to ada0 and the map sector (offset 0)
# sorts first: cut the power after it completes, and after reboot the
# map points at a chunk whose data never landed. The write was never
# acknowledged, so nothing promised is lost — but the device now returns
# old disk contents for that chunk, not what was written, nor zeroes.
# virstor must be loaded at boot to find the device again.
@loader geom_virstor_load=YES
@disk ada0 32m
@disk ada1 32m
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1
# Old contents in physical chunk 3 of ada0, where chunk 1 will go.
# (Opening ada0 for writing spoils virstor's hold on it: GEOM withdraws
# the device and tastes ada0 again when dd closes it.)
dd if=/dev/random of=/var/tmp/old bs=64k count=1 status=none
dd if=/var/tmp/old of=/dev/ada0 bs=64k seek=48 status=none
# The next write allocates virtual chunk 1: map sector + data. Cut the
# power as soon as the first of the two has completed.
dd if=/dev/random of=/var/tmp/new bs=64k count=1 status=none
@power-cut after 1 writes
dd if=/var/tmp/new of=/dev/virstor/vs bs=64k seek=16
@boot
@expect device /dev/virstor/vs
# What was acknowledged reads back...
@check /dev/virstor/vs
# ...but chunk 1 now shows ada0's old contents.
dd if=/dev/virstor/vs of=/var/tmp/back bs=64k skip=16 count=1 status=none
cmp /var/tmp/back /var/tmp/new
@expect exit 1
@expect stdout contains differ
cmp /var/tmp/back /var/tmp/old
