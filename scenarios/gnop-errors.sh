# I/O errors from a gnop(8) under a component.
#
# gnop fails requests on purpose: -w 100 makes every write to md1.nop
# fail with EIO. virstor's done routine (g_virstor_done) logs each failed
# child ("Error 5 for offset=..."), passes the first error up, and the
# writer sees "Input/output error". Chunks on the healthy component are
# not affected. `gnop configure` heals the component at run time.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gnop create -s 15m md1
gvirstor label -m 1m -s 128m vs md0 md1.nop
# md0 takes the first 13 data chunks; chunk 13 goes to md1.nop.
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=13
gnop configure -w 100 md1.nop
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=1 seek=13
@expect fail Input/output error
geom nop list md1.nop
@expect stdout contains Writes: 8
# Reads from the failed chunk still work (only writes fail), and md0 is fine.
dd if=/dev/virstor/vs of=/dev/null bs=1m count=14
gnop configure -w 0 md1.nop
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=1 seek=13
