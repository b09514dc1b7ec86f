/*
 * Configuration export: kern.geom.confxml, kern.geom.confdot and
 * kern.geom.conftxt, in FreeBSD's formats, with each class's dumpconf
 * output; and g_trace().
 *
 * Object ids are %p of the objects: the simulated kernel prints synthetic
 * kernel addresses there (kern/format.h), so dumps are reproducible.
 */
#include <sys/systm.h>
#include <sys/sbuf.h>

#include "geom_int.h"
#include "kern/format.h"

void
g_trace(int level, const char *fmt, ...)
{
	va_list ap;

	if (!(g_debugflags & level))
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* XML text: markup characters and non-ASCII bytes as &#xHH;. */
void
g_conf_printf_escaped(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	std::string s = kern::vformat(fmt, ap);
	va_end(ap);
	for (unsigned char c : s) {
		switch (c) {
		case '&': case '<': case '>': case '\'': case '"':
			sbuf_printf(sb, "&#x%X;", c);
			break;
		case '\t': case '\n': case '\r':
			sbuf_putc(sb, c);
			break;
		default:
			if (c > 0x7e)
				sbuf_printf(sb, "&#x%X;", c);
			else if (c < 0x20)
				sbuf_putc(sb, '?');
			else
				sbuf_putc(sb, c);
		}
	}
}

/* ---------------------------------------------------------------- dot */

static void
g_confdot_geom(struct sbuf *sb, struct g_geom *gp)
{
	struct g_consumer *cp;
	struct g_provider *pp;

	sbuf_printf(sb, "z%p [shape=box,label=\"%s\\n%s\\nr#%d\"];\n",
	    gp, gp->class_->name, gp->name, gp->rank);
	LIST_FOREACH(cp, &gp->consumer, consumer) {
		sbuf_printf(sb, "z%p [label=\"r%dw%de%d\"];\n",
		    cp, cp->acr, cp->acw, cp->ace);
		if (cp->provider)
			sbuf_printf(sb, "z%p -> z%p;\n", cp, cp->provider);
		sbuf_printf(sb, "z%p -> z%p;\n", gp, cp);
	}
	LIST_FOREACH(pp, &gp->provider, provider) {
		sbuf_printf(sb, "z%p [shape=hexagon,label=\"%s\\nr%dw%de%d\\nerr#%d\"];\n",
		    pp, pp->name, pp->acr, pp->acw, pp->ace, pp->error);
		sbuf_printf(sb, "z%p -> z%p;\n", pp, gp);
	}
}

void
g_confdot(void *p, int flag)
{
	struct sbuf *sb;
	struct g_class *mp;
	struct g_geom *gp;

	KASSERT(flag != EV_CANCEL, ("g_confdot was cancelled"));
	sb = (struct sbuf *)p;
	g_topology_assert();
	sbuf_printf(sb, "digraph geom {\n");
	LIST_FOREACH(mp, &g_state->classes, class_) {
		LIST_FOREACH(gp, &mp->geom, geom)
			g_confdot_geom(sb, gp);
	}
	sbuf_printf(sb, "};\n");
	sbuf_finish(sb);
}

/* ---------------------------------------------------------------- txt */

static void
g_conftxt_geom(struct sbuf *sb, struct g_geom *gp, int level)
{
	struct g_provider *pp;
	struct g_consumer *cp;

	LIST_FOREACH(pp, &gp->provider, provider) {
		sbuf_printf(sb, "%d %s %s %ju %u", level, gp->class_->name,
		    pp->name, (uintmax_t)pp->mediasize, pp->sectorsize);
		if (gp->dumpconf != NULL)
			gp->dumpconf(sb, NULL, gp, NULL, pp);
		sbuf_printf(sb, "\n");
		LIST_FOREACH(cp, &pp->consumers, consumers) {
			if (cp->geom->flags & G_GEOM_WITHER)
				continue;
			g_conftxt_geom(sb, cp->geom, level + 1);
		}
	}
}

void
g_conftxt(void *p, int flag)
{
	struct g_class *mp;
	struct g_geom *gp;
	struct sbuf *sb;

	KASSERT(flag != EV_CANCEL, ("g_conftxt was cancelled"));
	sb = (struct sbuf *)p;
	g_topology_assert();
	/* Only disks are roots. */
	LIST_FOREACH(mp, &g_state->classes, class_) {
		if (strcmp(mp->name, "DISK") != 0 && strcmp(mp->name, "MD") != 0)
			continue;
		LIST_FOREACH(gp, &mp->geom, geom) {
			if (gp->flags & G_GEOM_WITHER)
				continue;
			g_conftxt_geom(sb, gp, 0);
		}
	}
	sbuf_finish(sb);
}

/* ---------------------------------------------------------------- xml */

static void
g_conf_consumer(struct sbuf *sb, struct g_consumer *cp)
{
	sbuf_printf(sb, "\t<consumer id=\"%p\">\n", cp);
	sbuf_printf(sb, "\t  <geom ref=\"%p\"/>\n", cp->geom);
	if (cp->provider != NULL)
		sbuf_printf(sb, "\t  <provider ref=\"%p\"/>\n", cp->provider);
	sbuf_printf(sb, "\t  <mode>r%dw%de%d</mode>\n",
	    cp->acr, cp->acw, cp->ace);
	if (!(cp->geom->flags & G_GEOM_WITHER) && cp->geom->dumpconf != NULL) {
		sbuf_printf(sb, "\t  <config>\n");
		cp->geom->dumpconf(sb, "\t    ", cp->geom, cp, NULL);
		sbuf_printf(sb, "\t  </config>\n");
	}
	sbuf_printf(sb, "\t</consumer>\n");
}

static void
g_conf_provider(struct sbuf *sb, struct g_provider *pp)
{
	sbuf_printf(sb, "\t<provider id=\"%p\">\n", pp);
	sbuf_printf(sb, "\t  <geom ref=\"%p\"/>\n", pp->geom);
	sbuf_printf(sb, "\t  <mode>r%dw%de%d</mode>\n",
	    pp->acr, pp->acw, pp->ace);
	sbuf_printf(sb, "\t  <name>");
	g_conf_printf_escaped(sb, "%s", pp->name);
	sbuf_printf(sb, "</name>\n");
	sbuf_printf(sb, "\t  <mediasize>%jd</mediasize>\n",
	    (intmax_t)pp->mediasize);
	sbuf_printf(sb, "\t  <sectorsize>%u</sectorsize>\n", pp->sectorsize);
	sbuf_printf(sb, "\t  <stripesize>%u</stripesize>\n", pp->stripesize);
	sbuf_printf(sb, "\t  <stripeoffset>%u</stripeoffset>\n",
	    pp->stripeoffset);
	if (pp->flags & G_PF_WITHER) {
		sbuf_printf(sb, "\t  <wither/>\n");
	} else if (!(pp->geom->flags & G_GEOM_WITHER) &&
	    pp->geom->dumpconf != NULL) {
		sbuf_printf(sb, "\t  <config>\n");
		pp->geom->dumpconf(sb, "\t    ", pp->geom, NULL, pp);
		sbuf_printf(sb, "\t  </config>\n");
	}
	sbuf_printf(sb, "\t</provider>\n");
}

static void
g_conf_geom(struct sbuf *sb, struct g_geom *gp)
{
	struct g_consumer *cp;
	struct g_provider *pp;

	sbuf_printf(sb, "    <geom id=\"%p\">\n", gp);
	sbuf_printf(sb, "      <class ref=\"%p\"/>\n", gp->class_);
	sbuf_printf(sb, "      <name>");
	g_conf_printf_escaped(sb, "%s", gp->name);
	sbuf_printf(sb, "</name>\n");
	sbuf_printf(sb, "      <rank>%d</rank>\n", gp->rank);
	if (gp->flags & G_GEOM_WITHER) {
		sbuf_printf(sb, "      <wither/>\n");
	} else if (gp->dumpconf != NULL) {
		sbuf_printf(sb, "      <config>\n");
		gp->dumpconf(sb, "\t", gp, NULL, NULL);
		sbuf_printf(sb, "      </config>\n");
	}
	LIST_FOREACH(cp, &gp->consumer, consumer)
		g_conf_consumer(sb, cp);
	LIST_FOREACH(pp, &gp->provider, provider)
		g_conf_provider(sb, pp);
	sbuf_printf(sb, "    </geom>\n");
}

void
g_confxml(void *p, int flag)
{
	struct sbuf *sb;
	struct g_class *mp;
	struct g_geom *gp;

	KASSERT(flag != EV_CANCEL, ("g_confxml was cancelled"));
	sb = (struct sbuf *)p;
	g_topology_assert();
	sbuf_printf(sb, "<mesh>\n");
	LIST_FOREACH(mp, &g_state->classes, class_) {
		sbuf_printf(sb, "  <class id=\"%p\">\n", mp);
		sbuf_printf(sb, "    <name>");
		g_conf_printf_escaped(sb, "%s", mp->name);
		sbuf_printf(sb, "</name>\n");
		LIST_FOREACH(gp, &mp->geom, geom)
			g_conf_geom(sb, gp);
		sbuf_printf(sb, "  </class>\n");
	}
	sbuf_printf(sb, "</mesh>\n");
	sbuf_finish(sb);
}
