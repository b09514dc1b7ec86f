# Defect 23: gvirstor label accepts a component the map fills completely.
#
# label refuses a first component smaller than MAX(4 chunks, map size),
# but one exactly the map's size passes. With the default virtual size
# (2 TiB) and 1 MiB chunks the map is 16 MiB: on a 16 MiB disk it covers
# the whole disk, and the metadata label writes into the last sector
# lands in the map's last sector. label says nothing is wrong; at taste
# the kernel reads the metadata's bytes as map entries, finds an invalid
# one and creates no device.
#
# The kernel's report of that entry reads far past the component array
# (defect 22): the value it prints depends on the host's memory, so this
# script runs with kern.geom.virstor.debug=0, where LOG_MSG evaluates
# nothing and the read does not happen. virstor-bad-map-entry.sh shows
# the report itself.
@loader kern.geom.virstor.debug=0
mdconfig -a -t malloc -s 16m
gvirstor label -v -m 1m vs md0
@expect stdout contains Done.
@expect no-device /dev/virstor/vs
# The last sector is virstor metadata: dump reads it back.
gvirstor dump md0
