/*
 * sys/bio.h — the I/O request (struct bio) and bio queues.
 *
 * The fields and constants are FreeBSD 10's. bio_queue is a Boost.Intrusive
 * hook: a bio sits on at most one queue at a time (a class's bio_queue_head,
 * or the framework's g_down/g_up queues, where BIO_ONQUEUE is set).
 * The _sim_* fields belong to the simulator (its checks that a bio is not
 * delivered twice or destroyed while queued); class code never touches them.
 */
#ifndef _SYS_BIO_H_
#define _SYS_BIO_H_

#include <boost/intrusive/list.hpp>

#include <sys/kvoid.h>

/* bio_cmd */
#define BIO_READ	0x01
#define BIO_WRITE	0x02
#define BIO_DELETE	0x04
#define BIO_GETATTR	0x08
#define BIO_FLUSH	0x10
#define BIO_CMD0	0x20
#define BIO_CMD1	0x40
#define BIO_CMD2	0x80

/* bio_flags */
#define BIO_ERROR	0x01
#define BIO_DONE	0x02
#define BIO_ONQUEUE	0x04
#define BIO_ORDERED	0x08
#define BIO_UNMAPPED	0x10
#define BIO_TRANSIENT_MAPPING 0x20
#define BIO_VLIST	0x40

#define BIO_NOTCLASSIFIED (void *)(~0UL)

struct bio;
struct cdev;
struct disk;
struct vm_page;
struct g_consumer;
struct g_provider;
struct devstat;

typedef void bio_task_t(void *);

struct bintime {
	time_t sec;
	uint64_t frac;
};

typedef boost::intrusive::list_member_hook<
    boost::intrusive::link_mode<boost::intrusive::normal_link>> bio_hook_t;

struct bio {
	uint8_t bio_cmd;		/* I/O operation. */
	uint8_t bio_flags;		/* General flags. */
	uint8_t bio_cflags;		/* Private use by the consumer. */
	uint8_t bio_pflags;		/* Private use by the provider. */
	struct cdev *bio_dev;		/* Device to do I/O on. */
	struct disk *bio_disk;		/* Valid below geom_disk.c only */
	off_t bio_offset;		/* Offset into file. */
	long bio_bcount;		/* Valid bytes in buffer. */
	caddr_t bio_data;		/* Memory, superblocks, indirect etc. */
	struct vm_page **bio_ma;	/* Or unmapped. */
	int bio_ma_offset;		/* Offset in the first page of bio_ma. */
	int bio_ma_n;			/* Number of pages in bio_ma. */
	int bio_error;			/* Errno for BIO_ERROR. */
	long bio_resid;			/* Remaining I/O in bytes. */
	void (*bio_done)(struct bio *);
	kvoid bio_driver1;		/* Private use by the provider. */
	kvoid bio_driver2;		/* Private use by the provider. */
	kvoid bio_caller1;		/* Private use by the consumer. */
	kvoid bio_caller2;		/* Private use by the consumer. */
	bio_hook_t bio_queue;		/* Disksort queue. */
	const char *bio_attribute;	/* Attribute for BIO_[GS]ETATTR */
	struct g_consumer *bio_from;	/* GEOM linkage */
	struct g_provider *bio_to;	/* GEOM linkage */
	off_t bio_length;		/* Like bio_bcount */
	off_t bio_completed;		/* Inverse of bio_resid */
	u_int bio_children;		/* Number of spawned bios */
	u_int bio_inbed;		/* Children safely home by now */
	struct bio *bio_parent;		/* Pointer to parent */
	struct bintime bio_t0;		/* Time request started */
	bio_task_t *bio_task;		/* Task_queue handler */
	void *bio_task_arg;		/* Argument to above */
	void *bio_classifier1;		/* Classifier tag. */
	void *bio_classifier2;		/* Classifier tag. */
	void *_bio_caller1;		/* DIAGNOSTIC: consumer fields at request */
	void *_bio_caller2;
	uint8_t _bio_cflags;
	daddr_t bio_pblkno;		/* physical block number */

	/* Simulator bookkeeping. */
	uint32_t _sim_magic;
	uint32_t _sim_state;
	uint64_t _sim_id;
	void *_sim_waiter;		/* a g_read_data()-style sleeper */
	int _sim_tid;			/* thread that called g_io_request */
};

typedef boost::intrusive::list<struct bio,
    boost::intrusive::member_hook<struct bio, bio_hook_t, &bio::bio_queue>,
    boost::intrusive::constant_time_size<false>> bio_list_t;

struct bio_queue_head {
	bio_list_t queue;
	off_t last_offset;
	struct bio *insert_point;
	int total;
	int batched;
};

void biodone(struct bio *bp);
int biowait(struct bio *bp, const char *wchan);
void biofinish(struct bio *bp, struct devstat *stat, int error);

void bioq_disksort(struct bio_queue_head *ap, struct bio *bp);
struct bio *bioq_first(struct bio_queue_head *head);
struct bio *bioq_takefirst(struct bio_queue_head *head);
void bioq_flush(struct bio_queue_head *head, struct devstat *stp, int error);
void bioq_init(struct bio_queue_head *head);
void bioq_insert_head(struct bio_queue_head *head, struct bio *bp);
void bioq_insert_tail(struct bio_queue_head *head, struct bio *bp);
void bioq_remove(struct bio_queue_head *head, struct bio *bp);

#endif /* !_SYS_BIO_H_ */
