# @disk: hardware disks of class DISK, sparse, kept across reboots; a
# sector size and a cache model (write-back: a power cut may lose writes).
@disk ada0 1g
@disk ada1 64m sector=4096 cache=write-back flush=no
geom disk list
