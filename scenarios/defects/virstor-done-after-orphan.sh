# Defect: a failed request completes after its component was withdrawn,
# and g_virstor_done prints the name of a provider that no longer exists.
#
# g_virstor_done logs a failed child request with b->bio_to->name (seed
# lines 1557-1559). bio_to is the component's provider. GEOM counts the
# request as ended in g_io_deliver, before g_up runs the done method, so
# the event thread may meanwhile process the orphaned component:
# g_virstor_orphan -> remove_component detaches and destroys the
# consumer (no request is active any more), and the provider, without
# consumers, is destroyed and freed. When g_up gets the CPU, done reads
# freed memory: trashed with 0xdeadc0de on a kernel with INVARIANTS, so
# the name pointer is not canonical and the printf faults.
#
# On real hardware g_event and g_up run on different CPUs, and the race
# shows under --sched threads now and then. Here @stall holds g_up back
# at the moment the write reaches md1, so it shows every time.
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 128m vs md0 md1
dd if=/dev/random of=/dev/virstor/vs bs=1m count=13
# The next chunk is the first on md1. When the write reaches it, g_up
# stops taking completions, then md1 is pulled.
@stall g_up at WRITE md1 offset=0
@pull md1 at WRITE md1 offset=0
dd if=/dev/random of=/dev/virstor/vs bs=1m count=1 seek=13
@expect blocked
# md1's request failed; its completion waits on g_up, and so does dd.
# Meanwhile the event thread withdrew md1 from vs, and md1 is gone.
geom md list md1
@expect fail No such geom: md1.
@resume g_up
@expect panic general protection fault
