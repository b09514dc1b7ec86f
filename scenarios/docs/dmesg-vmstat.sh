# dmesg(8) prints the kernel's message buffer; vmstat -m, its malloc(9)
# use by type; vmstat -z, its uma(9) zones (bios come from g_bio).
mdconfig -a -t malloc -s 16m
gnop create md0
gnop destroy md0.nop
dd if=/dev/md0 of=/dev/null bs=64k count=2 status=none
dmesg
vmstat -m
vmstat -z
