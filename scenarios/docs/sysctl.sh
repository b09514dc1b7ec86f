# sysctl(8): read and set kernel state; a node lists every leaf below it.
kldload geom_virstor
sysctl kern.geom.virstor
sysctl -n kern.geom.virstor.debug
sysctl kern.geom.virstor.debug=15
sysctl kern.geom.nosuch
@expect fail unknown oid
mdconfig -a -t malloc -s 1m
sysctl kern.geom.conftxt
sysctl kern.geom.conftxt=0
@expect fail read only
# -a: every leaf except the kern.geom.conf* dumps of the GEOM tree.
sysctl -a
