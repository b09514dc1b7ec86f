# cmp(1): compares files or devices byte by byte; exit status 0 if they
# are the same, 1 if they differ, 2 on trouble.
echo hello > /var/tmp/a
echo hellO > /var/tmp/b
cmp /var/tmp/a /var/tmp/a
cmp /var/tmp/a /var/tmp/b
@expect exit 1
cmp -s /var/tmp/a /var/tmp/b
@expect exit 1
# From byte 5 on (skip1 and skip2: where each starts), they are the same.
cmp /var/tmp/a /var/tmp/b 5 5
mdconfig -a -t malloc -s 1m
dd if=/var/tmp/a of=/dev/md0 conv=sync status=none
cmp /dev/md0 /var/tmp/a
@expect exit 1
cmp /var/tmp/a /var/tmp/none
@expect exit 2
