# @reboot, @shutdown, @boot: hardware disks and files survive, with their
# data; md malloc disks, like everything in memory, do not.
@disk ada0 16m
mdconfig -a -t malloc -s 16m
truncate -s 1m /var/tmp/file
dd if=/dev/random of=/dev/ada0 bs=64k count=1 status=none
md5 /dev/ada0
@reboot
ls
md5 /dev/ada0
@shutdown
@boot
ls /var/tmp/file
