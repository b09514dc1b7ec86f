# @crash cuts the power at an exact point with exactly the fates it names:
# right after write log #17 completes, with #10 (the map sector of virtual
# chunk 0) lost and every other cached write landing. @virstor-check checks
# the disks offline, @crash-check checks what comes back (explore's checks);
# both may name the findings they expect. virstor_check is the checker as a
# program. What follows @after-crash is for geomsim explore only.
@seed 1
@crash after record 17 lose 10
@loader geom_virstor_load=YES
@disk ada0 8m cache=write-back
@disk ada1 8m cache=write-back
gvirstor label -m 1m -s 128m vs ada0 ada1
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none
dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none
@virstor-check expect next-chunk-reused
@boot
virstor_check -q ada0 ada1
@expect exit 1
@crash-check expect new-data-lost
@after-crash
@echo geomsim explore runs these lines after each crash; geomsim run stops above
