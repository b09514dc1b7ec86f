# Defect 17: `gvirstor remove` while the device is open panics in g_detach.
#
# virstor_ctl_remove (seed 635-641) detaches the removed component's
# consumer without closing it. While virstor/vs is open, every component
# consumer holds the access counts g_virstor_access passed on to it, so
# g_detach's KASSERT fires: "detach but nonzero acr" (acw for a writer).
# A shell holding the device open for reading (as its standard input) is
# enough; no request needs to be in flight, so no @seed is needed.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1
sleep 30 < /dev/virstor/vs &
gvirstor remove vs md1
@expect panic detach but nonzero acr
