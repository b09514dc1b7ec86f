# Defect 9: adding a disk that is already a component panics.
#
# virstor_ctl_add attaches a consumer to the new provider and then, on
# each of its four errors (access refused, sector size mismatch, component
# already there, provider too small: seed 362-367, 370-375, 377-385,
# 400-405), calls g_destroy_consumer without g_detach. The most natural
# mistake, naming a disk that is already in the device, trips
# g_destroy_consumer's KASSERT: "g_destroy_consumer but attached".
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1
gvirstor add vs md1
@expect panic g_destroy_consumer but attached
