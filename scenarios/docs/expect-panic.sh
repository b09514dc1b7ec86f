# @expect panic [TEXT]: the kernel panicked (unannounced, a panic ends
# the run with status 3); @expect finding TEXT: a problem the kernel noted.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 64m vs md0 md1
@expect finding g_read_data() called with the topology lock held
# Listing an incomplete device divides by zero (the seed's defect 4).
gvirstor stop vs
true > /dev/md0
gvirstor list
@expect panic integer divide fault
@boot
mdconfig -l
