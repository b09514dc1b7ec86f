# @check reads back what was acknowledged to a device (all of it, or
# OFFSET LENGTH); @writelog lists the writes the disks completed.
@disk ada0 1m
@disk ada1 1m
dd if=/dev/random of=/dev/ada0 bs=4k count=2 status=none
dd if=/dev/random of=/dev/ada1 bs=1k count=1 status=none
@check /dev/ada0
@check /dev/ada0 4k 4k
@check /dev/ada1
@writelog
@writelog ada1
