# @expect device|no-device PATH: the /dev node exists or not; @expect data
# DEVICE [OFFSET LENGTH]: every acknowledged sector of it reads back.
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 64m vs md0
@expect device /dev/virstor/vs
dd if=/dev/random of=/dev/virstor/vs bs=64k count=4 status=none
@expect data /dev/virstor/vs
@expect data /dev/virstor/vs 64k 64k
gvirstor stop vs
@expect no-device /dev/virstor/vs
