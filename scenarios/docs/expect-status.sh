# @expect ok, fail [TEXT], exit N and blocked: how the command before
# them ended (ok is the default).
mdconfig -a -t malloc -s 1m
@expect ok
mdconfig -d -u 7
@expect fail No such file or directory
cmp /dev/md0 /dev/zero
@expect exit 1
@stall g_up
dd if=/dev/random of=/dev/md0 bs=4k count=1
@expect blocked
@resume g_up
