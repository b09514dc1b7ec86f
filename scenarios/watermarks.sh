# Filling several components: the watermark warnings.
#
# virstor warns an administrator before space runs out. Two tunables
# decide when: kern.geom.virstor.chunk_watermark (free chunks left on the
# current component, default 100) and kern.geom.virstor.component_watermark
# (components left after the current one, default 1). With small disks the
# first is always below the mark, so every taste warns; as writes fill one
# component after the other, allocate_chunk announces the switches that
# leave at most component_watermark components after the new one (the
# switch from md0 to md1, with two more to come, is silent).
@loader kern.geom.virstor.chunk_watermark=4
mdconfig -a -t malloc -s 8m
mdconfig -a -t malloc -s 8m
mdconfig -a -t malloc -s 8m
mdconfig -a -t malloc -s 8m
gvirstor label -m 1m -s 64m vs md0 md1 md2 md3
sysctl kern.geom.virstor
# 5 data chunks fit on md0, 7 on each of the others.
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=5
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=7 seek=5
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=7 seek=12
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=3 seek=19
gvirstor list vs
# A taste now (after a stop) finds the last component current and low on
# chunks: both warnings.
gvirstor stop vs
true > /dev/md3
true > /dev/md2
true > /dev/md1
true > /dev/md0
@expect device /dev/virstor/vs
