# Defect 3: a virtual size that is not a whole number of chunks is a NULL
# dereference at taste.
#
# virstor_check_and_run (seed 1226-1230) warns "Device %s truncated to %ju
# bytes" naming sc->provider->name before the provider exists. label never
# writes such a size; a damaged metadata sector does. At the next boot the
# console shows the line cut short, "GEOM_VIRSTOR[2]: ", then a page fault
# at address 0 in g_event: the machine panics while tasting the disk.
@loader geom_virstor_load=YES
@disk ada0 32m
gvirstor label -s 512M vs ada0
gvirstor stop vs
# Damage md_virsize (bytes 36-43 of ada0's last sector, 512 MiB): copy the
# sector's first byte ('G', 0x47) over its lowest byte. 512 MiB + 71 bytes
# is not a multiple of the 4 MiB chunk size.
dd if=/dev/ada0 of=/var/tmp/ada0.last bs=512 skip=65535 count=1
dd if=/var/tmp/ada0.last of=/var/tmp/ada0.last bs=1 seek=36 count=1 conv=notrunc
# Write it back without tasting (dd's close would make GEOM taste ada0
# and panic at once), and reboot: the disk is tasted as the machine boots.
sysctl kern.geom.notaste=1
dd if=/var/tmp/ada0.last of=/dev/ada0 bs=512 seek=65535 conv=notrunc
@reboot
@expect panic page fault
@expect console contains Fatal trap 12: page fault while in kernel mode
