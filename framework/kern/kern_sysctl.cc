/*
 * The roots of the sysctl tree that class code hangs its names from.
 */
#include <sys/systm.h>
#include <sys/sysctl.h>

const kern::sysctl_parent sysctl_node = {"", nullptr};
const kern::sysctl_parent sysctl_node_kern = {"kern", &sysctl_node};
const kern::sysctl_parent sysctl_node_kern_features = {"features", &sysctl_node_kern};
const kern::sysctl_parent sysctl_node_kern_geom = {"geom", &sysctl_node_kern};
const kern::sysctl_parent sysctl_node_debug = {"debug", &sysctl_node};
const kern::sysctl_parent sysctl_node_vm = {"vm", &sysctl_node};

static kern::static_sysctl_node kern_node(&sysctl_node_kern, "High kernel, proc, limits &c");
static kern::static_sysctl_node features_node(&sysctl_node_kern_features, "Kernel Features");
static kern::static_sysctl_node geom_node(&sysctl_node_kern_geom, "GEOMetry management");
