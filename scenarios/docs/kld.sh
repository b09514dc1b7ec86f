# kldload(8), kldstat(8), kldunload(8): the GEOM classes that are modules
# (geom_md, geom_nop, geom_virstor).
kldstat
kldload geom_nop
kldload geom_nop.ko
@expect fail already loaded
kldstat
kldunload geom_nop
kldunload geom_nop
@expect fail "can't find file"
