# dd(1): copies blocks between files and devices; bs, ibs, obs, count,
# skip, seek, conv and status. Without of= it writes to standard output.
echo 'hello, world' > /var/tmp/hello
dd if=/var/tmp/hello bs=1 skip=7 count=6 status=none
mdconfig -a -t malloc -s 1m
# conv=sync pads the short block with zeros to a whole 512-byte sector.
dd if=/var/tmp/hello of=/dev/md0 conv=sync
# A device reads and writes whole sectors only.
dd if=/dev/md0 of=/var/tmp/copy bs=100 count=1
@expect fail Invalid argument
# /dev/random gives the machine's seeded bytes; seek= counts obs blocks.
dd if=/dev/random of=/dev/md0 ibs=4k obs=64k count=32 seek=1 status=noxfer
# conv=notrunc writes into a file without cutting it short.
echo HELLO > /var/tmp/upper
dd if=/var/tmp/upper of=/var/tmp/hello bs=5 count=1 conv=notrunc status=none
dd if=/var/tmp/hello status=none
