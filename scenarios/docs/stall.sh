# @stall keeps a GEOM thread off the CPU; whoever waits for its work
# waits too, until @resume.
mdconfig -a -t malloc -s 1m
@stall g_up
dd if=/dev/random of=/dev/md0 bs=4k count=1
@expect blocked
@resume g_up
# With a trigger: g_down stops once the first write has reached md0.
@stall g_down at WRITE md0
dd if=/dev/random of=/dev/md0 bs=4k seek=1 count=2 &
@writelog md0
@resume g_down
