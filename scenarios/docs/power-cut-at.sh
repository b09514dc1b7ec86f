# @power-cut at: the power goes when a request reaches the disk; that
# request is in flight, so it is lost, torn or kept: the seed decides, and
# seed 3 tears it.
@seed 3
@disk ada0 1m
dd if=/dev/random of=/dev/ada0 bs=4k count=4 status=none
@power-cut at WRITE ada0 offset=8k
dd if=/dev/random of=/dev/ada0 bs=4k count=4
@boot
@check /dev/ada0
