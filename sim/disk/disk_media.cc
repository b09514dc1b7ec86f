/*
 * Bios to media, for the simulator's disk drivers. See sim/disk/disk_media.h.
 */
#include <sys/systm.h>
#include <sys/bio.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <geom/geom.h>

#include "kern/kernel.h"
#include "kern/sync.h"
#include "sim/disk/disk_media.h"
#include "sim/media/media.h"

/* Per boot: the media the drivers hold. */
struct disk_media_pins {
	std::mutex mu;
	std::map<sim::media *, std::pair<std::shared_ptr<sim::media>, int>> held;
};
static struct disk_media_pins *pins;

static void
disk_media_init(void)
{
	pins = new disk_media_pins();
	kern::kernel::current()->at_destroy([] {
		delete pins;
		pins = NULL;
	});
}

static kern::sysinit disk_media_sysinit(kern::SI_KERN_DRIVERS, "disk_media",
    disk_media_init, NULL);

sim::media *
disk_media_hold(std::shared_ptr<sim::media> m)
{
	std::lock_guard<std::mutex> g(pins->mu);
	auto &slot = pins->held[m.get()];
	if (slot.second++ == 0)
		slot.first = m;
	return (m.get());
}

void
disk_media_release(sim::media *m)
{
	std::lock_guard<std::mutex> g(pins->mu);
	auto it = pins->held.find(m);
	if (it != pins->held.end() && --it->second.second == 0)
		pins->held.erase(it);
}

void
disk_bio_origin(struct bio *bp, int *tid, std::string *name)
{
	int t = 0;

	for (; bp != NULL; bp = bp->bio_parent)
		if (bp->_sim_tid != 0)
			t = bp->_sim_tid;
	*tid = t;
	name->clear();
	if (t == 0)
		return;
	if (!kern::kernel::current()->sched().live_thread_name(t, *name))
		*name = "exited";
}

/* The media's service time: simulated, and a chance for others to run. */
static void
disk_media_service(sim::media *m)
{
	int64_t ns = m->config().latency_ns;

	if (ns > 0)
		kern::pause("diskio", ns);
	else
		kern::current_scheduler()->point();
}

int
disk_media_bio(sim::media *m, struct bio *bp, const char *device, int fua)
{
	sim::io_origin who;
	uint64_t ticket;
	int error;

	who.device = device;
	disk_bio_origin(bp, &who.tid, &who.thread);
	switch (bp->bio_cmd) {
	case BIO_READ:
		disk_media_service(m);
		return (m->read(bp->bio_offset, bp->bio_data, bp->bio_length,
		    who));
	case BIO_WRITE:
	case BIO_DELETE:
		ticket = m->begin_write(bp->bio_cmd == BIO_WRITE ?
		    sim::io_op::write : sim::io_op::del, bp->bio_offset,
		    bp->bio_length, bp->bio_data, fua != 0, who, &error);
		if (ticket == 0)
			return (error);
		disk_media_service(m);
		return (m->finish_write(ticket));
	case BIO_FLUSH:
		disk_media_service(m);
		return (m->flush(who));
	default:
		return (EOPNOTSUPP);
	}
}
