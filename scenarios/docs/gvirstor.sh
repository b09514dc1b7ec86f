# gvirstor(8): label a thin-provisioned device on two disks, look at it,
# stop it, clear the labels.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -v -m 1m -s 64m vs md0 md1
gvirstor status
gvirstor list
gvirstor dump md1
gvirstor stop vs
@expect no-device /dev/virstor/vs
gvirstor clear -v md0 md1
# Cleared components no longer bring the device back when tasted.
true > /dev/md0
true > /dev/md1
@expect no-device /dev/virstor/vs
