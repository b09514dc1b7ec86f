# ls(1): the device nodes under /dev (and its subdirectories), and the
# machine's files by name.
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 64m vs md0
truncate -s 1m /var/tmp/file
ls
ls /dev/virstor
ls -1 /var/tmp/file /dev/md0
ls /var/tmp/none
@expect fail
