# Workload for geomsim explore: a component that holds no data (the middle
# one) is removed from a running device. remove clears its metadata, then
# update_metadata rewrites the others one after the other.
#   geomsim explore scenarios/explore/remove.sh
@loader geom_virstor_load=YES
@disk ada0 8m
@disk ada1 8m
@disk ada2 8m
gvirstor label -m 1m -s 128m vs ada0 ada1 ada2
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none
gvirstor remove vs ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
