# @image maps a raw image file of the host (image.img, next to this
# script) in as a file of the machine; ro keeps the host file unchanged.
@image /var/tmp/image.img image.img ro
ls /var/tmp/image.img
mdconfig -a -t vnode -f /var/tmp/image.img
diskinfo md0
dd if=/dev/md0 bs=512 count=1 status=none
dd if=/dev/zero of=/dev/md0 count=1
@expect fail Read-only file system
