# truncate(1) makes and resizes sparse files of the machine; mdconfig -t
# vnode (or just mdconfig FILE) turns a file into a disk.
truncate -s 64m /var/tmp/a.img
truncate -s +64m /var/tmp/a.img
# -c: leave a missing file alone.
truncate -c -s 1m /var/tmp/b.img
ls /var/tmp/a.img /var/tmp/b.img
@expect fail No such file or directory
truncate -s 1m /var/tmp/b.img
mdconfig -a -t vnode -f /var/tmp/a.img
mdconfig /var/tmp/b.img
mdconfig -l -v
mdconfig -l -f /var/tmp/b.img
