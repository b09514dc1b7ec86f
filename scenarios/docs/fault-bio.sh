# @fault g_clone_bio [PROVIDER], @fault g_new_bio: bio allocations fail;
# @fault clear ends all injected failures.
mdconfig -a -t malloc -s 1m
gnop create md0
# The DEV class retries a failed clone after 100 ms (g_dev_strategy).
@fault g_clone_bio nth=1 count=1
dd if=/dev/random of=/dev/md0 bs=4k count=1
# Only clones of bios aimed at md0.nop: gnop fails the write with ENOMEM,
# and GEOM sends it again after a pause of a tick (1 ms), twice.
@fault g_clone_bio md0.nop count=2
dd if=/dev/random of=/dev/md0.nop bs=4k count=1
@fault clear
# No class here allocates with g_new_bio: this rule never fires.
@fault g_new_bio count=0
dd if=/dev/random of=/dev/md0 bs=4k count=1
@fault clear
