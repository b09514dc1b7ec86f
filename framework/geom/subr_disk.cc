/*
 * bio queues and the disk sort (kern/subr_disk.c).
 *
 * bioq_disksort is an elevator: a request is keyed by its distance from
 * the assumed head position (last_offset), unsigned, so requests ahead of
 * the head come first in ascending order and those behind it follow, also
 * ascending. Equal keys keep their arrival order, and nothing is ever put
 * ahead of a barrier (an ordered request, or the last tail insert). Class
 * code depends on this order: virstor issues its clones in it, which fixes
 * whether a map sector or its data reaches g_down first.
 */
#include <sys/systm.h>
#include <sys/bio.h>

#include "geom_int.h"

static void
on_bioq(struct bio *bp)
{
	bp->_sim_state |= G_BIO_SIM_BIOQ;
}

static void
off_bioq(struct bio *bp)
{
	bp->_sim_state &= ~G_BIO_SIM_BIOQ;
}

void
bioq_init(struct bio_queue_head *head)
{
	head->queue.clear();
	head->last_offset = 0;
	head->insert_point = NULL;
	head->total = 0;
	head->batched = 0;
}

void
bioq_remove(struct bio_queue_head *head, struct bio *bp)
{
	if (head->insert_point == NULL) {
		if (!head->queue.empty() && bp == &head->queue.front())
			head->last_offset = bp->bio_offset + bp->bio_length;
	} else if (bp == head->insert_point)
		head->insert_point = NULL;

	head->queue.erase(head->queue.iterator_to(*bp));
	off_bioq(bp);
	head->total--;
}

void
bioq_flush(struct bio_queue_head *head, struct devstat *stp, int error)
{
	struct bio *bp;

	while ((bp = bioq_takefirst(head)) != NULL)
		biofinish(bp, stp, error);
}

void
bioq_insert_head(struct bio_queue_head *head, struct bio *bp)
{
	if (head->insert_point == NULL)
		head->last_offset = bp->bio_offset;
	head->queue.push_front(*bp);
	on_bioq(bp);
	head->total++;
}

void
bioq_insert_tail(struct bio_queue_head *head, struct bio *bp)
{
	head->queue.push_back(*bp);
	on_bioq(bp);
	head->total++;
	head->insert_point = bp;
	head->last_offset = bp->bio_offset;
}

struct bio *
bioq_first(struct bio_queue_head *head)
{
	return (head->queue.empty() ? NULL : &head->queue.front());
}

struct bio *
bioq_takefirst(struct bio_queue_head *head)
{
	struct bio *bp;

	bp = bioq_first(head);
	if (bp != NULL)
		bioq_remove(head, bp);
	return (bp);
}

/* The sort key: distance ahead of the head position, wrapping around. */
static inline uint64_t
bioq_bio_key(struct bio_queue_head *head, struct bio *bp)
{
	return ((uint64_t)(bp->bio_offset - head->last_offset));
}

void
bioq_disksort(struct bio_queue_head *head, struct bio *bp)
{
	uint64_t key;

	if ((bp->bio_flags & BIO_ORDERED) != 0) {
		/* An ordered request waits for everything before it. */
		bioq_insert_tail(head, bp);
		return;
	}

	key = bioq_bio_key(head, bp);
	auto cur = head->queue.begin();
	auto prev = head->queue.end();	/* none yet */
	if (head->insert_point != NULL) {
		prev = head->queue.iterator_to(*head->insert_point);
		cur = prev;
		++cur;
	}
	/* Pass every request whose key is not larger: equal keys stay in
	 * arrival order. */
	while (cur != head->queue.end() && key >= bioq_bio_key(head, &*cur)) {
		prev = cur;
		++cur;
	}
	if (prev == head->queue.end())
		head->queue.push_front(*bp);
	else
		head->queue.insert(++prev, *bp);
	on_bioq(bp);
	head->total++;
}
