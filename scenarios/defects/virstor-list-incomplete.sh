# Defect 4: listing an incomplete device is an integer divide fault.
#
# g_virstor_dumpconf (seed 1532-1534) divides by sc->chunk_count, the
# virtual chunk count, which stays 0 until the last component arrives and
# virstor_check_and_run fills it in (and by the physical chunk count,
# 1522-1523, 0 if no present component has chunks). While a component is
# missing, anything that reads kern.geom.confxml (gvirstor list/status,
# geom ... list, sysctl kern.geom.confxml) panics in g_event.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1
gvirstor stop vs
# Taste md0 only: vs waits for md1, incomplete.
true > /dev/md0
@expect no-device /dev/virstor/vs
gvirstor list
@expect panic integer divide fault
@expect console contains Fatal trap 18: integer divide fault while in kernel mode
