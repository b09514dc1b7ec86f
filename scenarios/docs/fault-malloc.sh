# @fault malloc TYPE: M_NOWAIT allocations of a malloc type fail. gnop
# allocates (gnop_data) to delay a request; when that fails, it does not delay.
mdconfig -a -t malloc -s 1m
gnop create -d 100 -x 100 md0
# The 2nd allocation from now on fails, once: 2 of 3 writes wait 100 ms.
@fault malloc gnop_data nth=2 count=1
dd if=/dev/random of=/dev/md0.nop bs=4k count=3
@fault clear
dd if=/dev/random of=/dev/md0.nop bs=4k count=3
