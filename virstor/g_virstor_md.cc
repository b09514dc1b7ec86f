/*
 * The virstor metadata codec (FreeBSD's sys/geom/virstor/g_virstor_md.c and
 * binstream.c, rewritten from the on-disk format reference).
 *
 * Compiles as kernel code (the class) and as host code (gvirstor(8) and
 * the codec tests): it needs nothing but <string.h> and fixed-width
 * integers. The byte order is written out byte by byte, so the result does
 * not depend on the host's.
 */

#include <string.h>

#include <geom/virstor/g_virstor_md.h>

/* A cursor over the sector buffer, as binstream.h's bin_stream_t. */
struct md_stream {
	unsigned char	*data;
	size_t		 pos;
};

static void
ms_write_buf(struct md_stream *ms, const char *buf, size_t len)
{

	memcpy(ms->data + ms->pos, buf, len);
	ms->pos += len;
}

static void
ms_write_le(struct md_stream *ms, uint64_t v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		ms->data[ms->pos + i] = (unsigned char)(v >> (8 * i));
	ms->pos += len;
}

static void
ms_read_buf(struct md_stream *ms, char *buf, size_t len)
{

	memcpy(buf, ms->data + ms->pos, len);
	ms->pos += len;
}

static uint64_t
ms_read_le(struct md_stream *ms, size_t len)
{
	uint64_t v;
	size_t i;

	v = 0;
	for (i = 0; i < len; i++)
		v |= (uint64_t)ms->data[ms->pos + i] << (8 * i);
	ms->pos += len;
	return (v);
}

/*
 * Encode data from g_virstor_metadata structure into a endian-independant
 * byte stream.
 */
void
virstor_metadata_encode(struct g_virstor_metadata *md, unsigned char *data)
{
	struct md_stream ms = { data, 0 };

	ms_write_buf(&ms, md->md_magic, sizeof(md->md_magic));
	ms_write_le(&ms, md->md_version, 4);
	ms_write_buf(&ms, md->md_name, sizeof(md->md_name));
	ms_write_le(&ms, md->md_virsize, 8);
	ms_write_le(&ms, md->md_chunk_size, 4);
	ms_write_le(&ms, md->md_id, 4);
	ms_write_le(&ms, md->md_count, 2);

	ms_write_buf(&ms, md->provider, sizeof(md->provider));
	ms_write_le(&ms, md->no, 2);
	ms_write_le(&ms, md->provsize, 8);
	ms_write_le(&ms, md->chunk_count, 4);
	ms_write_le(&ms, md->chunk_next, 4);
	ms_write_le(&ms, md->chunk_reserved, 2);
	ms_write_le(&ms, md->flags, 2);
}

/*
 * Decode data from endian-independant byte stream into g_virstor_metadata
 * structure.
 */
void
virstor_metadata_decode(unsigned char *data, struct g_virstor_metadata *md)
{
	struct md_stream ms = { data, 0 };

	ms_read_buf(&ms, md->md_magic, sizeof(md->md_magic));
	md->md_version = (uint32_t)ms_read_le(&ms, 4);
	ms_read_buf(&ms, md->md_name, sizeof(md->md_name));
	md->md_virsize = ms_read_le(&ms, 8);
	md->md_chunk_size = (uint32_t)ms_read_le(&ms, 4);
	md->md_id = (uint32_t)ms_read_le(&ms, 4);
	md->md_count = (uint16_t)ms_read_le(&ms, 2);

	ms_read_buf(&ms, md->provider, sizeof(md->provider));
	md->no = (uint16_t)ms_read_le(&ms, 2);
	md->provsize = ms_read_le(&ms, 8);
	md->chunk_count = (uint32_t)ms_read_le(&ms, 4);
	md->chunk_next = (uint32_t)ms_read_le(&ms, 4);
	md->chunk_reserved = (uint16_t)ms_read_le(&ms, 2);
	md->flags = (uint16_t)ms_read_le(&ms, 2);
}

void
virstor_metadata_encode_sector(struct g_virstor_metadata *md,
    unsigned char *sector, size_t sectorsize)
{

	memset(sector, 0, sectorsize);
	virstor_metadata_encode(md, sector);
}
