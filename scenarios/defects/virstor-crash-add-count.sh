# Defect 26: a cut inside update_metadata leaves components that disagree
# on the component count. Found by `geomsim explore
# scenarios/explore/add.sh` (crash state r17). gvirstor add writes the new
# component's metadata, then update_metadata rewrites every component's,
# one after the other, with no flush and no ordering (the seed's own
# comment calls this critical). The power goes after ada0's rewrite (count
# 3) and before ada1's and ada2's (count 2). Taste builds the device from
# the first component it meets: ada0 here, so all three come back; had ada1
# been tasted first, the device would have 2 components and ada2 would be
# refused (number 2 of 2). The add of defect 19 shows here too: ada2's last
# chunk covers its metadata sector.
@seed 1
@crash after record 17
@loader geom_virstor_load=YES
@disk ada0 8m
@disk ada1 8m
@disk ada2 8m
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none
gvirstor add vs ada2
@virstor-check expect chunks-overlap-metadata,count-mismatch
@boot
gvirstor status
