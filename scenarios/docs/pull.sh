# @pull: a disk (or md unit) vanishes, at once or when a request reaches
# it; its provider is orphaned and what it has in flight fails.
@disk ada0 16m
mdconfig -a -t malloc -s 1m
@pull ada0
ls
@pull md0 at WRITE md0 offset=4k
dd if=/dev/random of=/dev/md0 bs=4k count=2
@expect fail Device not configured
ls
mdconfig -l
