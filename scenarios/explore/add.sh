# Workload for geomsim explore: a running device gets a third component,
# and writes follow. add writes the new component's metadata, then
# update_metadata rewrites every component's, one after the other (the
# seed's comment calls it critical: a cut in between leaves components
# that disagree).
#   geomsim explore scenarios/explore/add.sh
@loader geom_virstor_load=YES
@disk ada0 8m
@disk ada1 8m
@disk ada2 8m
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none
gvirstor add vs ada2
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
