# Defect 14: synchronous I/O with the topology lock held.
#
# g_data(9) forbids holding the topology lock around g_read_data and
# g_write_data. Taste reads the whole map that way (virstor_check_and_run,
# seed 1245-1288; also g_virstor_destroy_geom's check, 731-753), and
# clear_metadata (671-683), from virstor_ctl_remove (635-636), writes that
# way. FreeBSD 10 does not check and it works: nothing on the console. The
# simulator records findings, listed at the end of the transcript.
mdconfig -a -t malloc -s 32m
mdconfig -a -t malloc -s 32m
gvirstor label -s 512M vs md0 md1
@expect finding g_read_data() called with the topology lock held
gvirstor remove vs md1
@expect finding g_write_data() called with the topology lock held
