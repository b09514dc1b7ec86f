# trim(8): erases a region of a device (BIO_DELETE); without -f it only
# says what it would do.
mdconfig -a -t malloc -s 1m
dd if=/dev/random of=/dev/md0 bs=64k count=16 status=none
trim md0
trim -f -o 64k -l 128k /dev/md0
trim -f -q -l 4k md0
# -r: the length is that of a reference file.
truncate -s 8k /var/tmp/ref
trim -f -o 512k -r /var/tmp/ref md0
# Only whole sectors can be erased.
trim -f -o 100 -l 512 md0
@expect fail Invalid argument
