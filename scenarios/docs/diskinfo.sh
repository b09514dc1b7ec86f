# diskinfo(8): sector size, media size, stripe and firmware geometry.
@disk ada0 64m sector=4096
mdconfig -a -t malloc -s 1g -x 63 -y 16
diskinfo ada0 md0
diskinfo -v /dev/md0
# -c and -t print the -v form too: the simulator times nothing.
diskinfo -t ada0
