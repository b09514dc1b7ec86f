# Workload for geomsim explore: one open of the device writes eight chunks
# in one go, on both components, while another reader holds it open; the
# metadata (chunk_next, flags) reaches the disks only when the last one
# closes it, after the writer is gone. Write-through disks.
#   geomsim explore scenarios/explore/close.sh
@loader geom_virstor_load=YES
@loader kern.geom.virstor.debug=0
@disk ada0 8m
@disk ada1 8m
gvirstor label -m 1m -s 128m vs ada0 ada1
sleep 1 < /dev/virstor/vs &
dd if=/dev/random of=/dev/virstor/vs bs=1m count=8 status=none
@wait
