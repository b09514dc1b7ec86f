# mdconfig(8): attach malloc and swap memory disks, list them, resize one,
# detach.
mdconfig -a -t malloc -s 64m
mdconfig -a -t swap -s 32m -S 4096 -u 5
# -n prints the unit number alone; a size without a suffix counts
# 512-byte blocks; -x and -y set the firmware geometry.
mdconfig -a -t malloc -s 2048 -n -x 63 -y 16
mdconfig -l
mdconfig -l -v
mdconfig -l -u 5
# -r: a swap unit grows freely; shrinking it takes -o force.
mdconfig -r -u 5 -s 64m
mdconfig -r -u 5 -s 16m
@expect fail Device busy
mdconfig -r -u 5 -s 16m -o force
mdconfig -l -v -u 5
mdconfig -d -u md5
mdconfig -d -u 5
@expect fail No such file or directory
