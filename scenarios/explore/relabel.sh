# Workload for geomsim explore: disks that held other data are labelled
# (write-back caches), then written. Until the label's zeroed map reaches
# the disk, the old contents sit where the map goes.
#   geomsim explore scenarios/explore/relabel.sh
# At the default debug level, virstor's report of an invalid map entry
# reads past its component array (defect 22): what it finds there depends
# on the host's memory (a page fault here, garbage elsewhere), which would
# make the report differ from host to host. debug=0 skips that report; the
# checker still finds the entries, and taste still refuses the map.
@loader kern.geom.virstor.debug=0
@loader geom_virstor_load=YES
@disk ada0 8m cache=write-back
@disk ada1 8m cache=write-back
dd if=/dev/random of=/dev/ada0 bs=64k count=1 status=none
dd if=/dev/random of=/dev/ada1 bs=64k count=1 status=none
@reboot
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none
