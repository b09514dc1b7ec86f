# dmesg(8) prints the kernel's message buffer; vmstat -m, its malloc(9)
# use by type.
mdconfig -a -t malloc -s 16m
gnop create md0
gnop destroy md0.nop
dmesg
vmstat -m
