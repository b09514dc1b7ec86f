# gnop(8): a pass-through provider that fails or delays requests on
# demand, and can show a window of its disk under another sector size.
mdconfig -a -t malloc -s 8m
# -w 100: every write fails, with error 5 (EIO).
gnop create -v -w 100 -e 5 md0
gnop status
dd if=/dev/random of=/dev/md0.nop bs=4k count=1
@expect fail Input/output error
# Writes succeed again, each one delayed by 100 ms (-x 100 -d 100).
gnop configure -w 0 -x 100 -d 100 md0.nop
dd if=/dev/random of=/dev/md0.nop bs=4k count=2
gnop list
gnop reset -v md0.nop
gnop destroy md0.nop
# 4 MB of md0 from offset 1 MB, in 4096-byte sectors, named "window".
gnop create -o 1m -s 4m -S 4096 -Z window md0
diskinfo window
