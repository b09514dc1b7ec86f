# @power-cut now, or after the N-th write that completes from now on (on
# one disk): the kernel stops, and @boot starts a new one.
@disk ada0 1m
@disk ada1 1m
@power-cut after 2 writes on ada1
dd if=/dev/random of=/dev/ada0 bs=4k count=4 status=none
dd if=/dev/random of=/dev/ada1 bs=4k count=4
@boot
@check /dev/ada0
@check /dev/ada1
@power-cut now
@boot
