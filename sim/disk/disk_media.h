/*
 * sim/disk/disk_media.h — how the simulator's disk drivers (DISK, MD) reach
 * their media (sim/media/media.h).
 *
 * A driver's worker thread hands a bio to disk_media_bio(), which does
 * what the controller and the platters would: the request reaches the
 * media (power and pull triggers may fire right there), the media's
 * service time passes in simulated time, and the write lands and is
 * logged. The caller sets bio_completed and delivers.
 */
#ifndef _SIM_DISK_DISK_MEDIA_H_
#define _SIM_DISK_DISK_MEDIA_H_

#include <memory>
#include <string>

namespace sim { class media; }
struct bio;

/*
 * Performs a READ, WRITE, DELETE or FLUSH on m and returns the error to
 * deliver. `device` is the provider's name (the media may be a file);
 * `fua` makes a write durable on completion whatever m's cache model.
 * Sleeps (the media's latency): call it from a worker thread, never from
 * g_down or g_up. May not return: a trigger may cut the power.
 */
int disk_media_bio(sim::media *m, struct bio *bp, const char *device, int fua);

/* The simulated thread that started bp: the issuer of the topmost bio of
 * its clone chain that went through g_io_request. */
void disk_bio_origin(struct bio *bp, int *tid, std::string *name);

/*
 * Drivers keep a plain pointer to their media in the softc; these keep the
 * media alive until released, or until the kernel goes away (power cut,
 * reboot), whichever comes first.
 */
sim::media *disk_media_hold(std::shared_ptr<sim::media> m);
void disk_media_release(sim::media *m);

#endif /* !_SIM_DISK_DISK_MEDIA_H_ */
