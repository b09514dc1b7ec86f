# md5(1), sha1(1), sha256(1): digests of files and devices; -q prints
# the digest alone.
echo hello > /var/tmp/hello
mdconfig -a -t malloc -s 1m
md5 /var/tmp/hello /dev/md0
sha1 /var/tmp/hello
sha256 -q /var/tmp/hello
md5 /var/tmp/none
@expect fail No such file or directory
