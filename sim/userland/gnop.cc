// gnop(8): control utility for NOP GEOM class (sbin/geom/class/nop), over
// geom(8)'s core. The options are FreeBSD's (10.x plus the 12/13 ones)
// and the simulator's -n. FreeBSD sends "-1" for an option not given;
// this geom(8) cannot send negative numbers, so such options are simply
// not sent and the kernel reads their absence as -1.
#include <cstdint>

#include "sim/nop/g_nop.h"
#include "sim/userland/geom_core.h"

namespace sim {
namespace {

const uint32_t nop_version = G_NOP_VERSION;

const geom_class_lib nop_lib = {
    "nop",
    &nop_version,
    {
        {"create", G_FLAG_VERBOSE | G_FLAG_LOADKLD, nullptr,
         {
             {'c', "count_until_fail", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'d', "delaymsec", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'e', "error", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'n', "fail_nth", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'o', "offset", "0", G_TYPE_NUMBER},
             {'p', "stripesize", "0", G_TYPE_NUMBER},
             {'P', "stripeoffset", "0", G_TYPE_NUMBER},
             {'q', "rdelayprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'r', "rfailprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'s', "size", "0", G_TYPE_NUMBER},
             {'S', "secsize", "0", G_TYPE_NUMBER},
             {'w', "wfailprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'x', "wdelayprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'z', "physpath", G_VAL_OPTIONAL, G_TYPE_STRING},
             {'Z', "gnopname", G_VAL_OPTIONAL, G_TYPE_STRING},
         },
         "[-v] [-c count_until_fail] [-d delaymsec] [-e error] [-n fail_nth] [-o offset] "
         "[-p stripesize] [-P stripeoffset] [-q rdelayprob] [-r rfailprob] [-s size] "
         "[-S secsize] [-w wfailprob] [-x wdelayprob] [-z physpath] [-Z gnopname] dev ..."},
        {"configure", G_FLAG_VERBOSE, nullptr,
         {
             {'c', "count_until_fail", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'d', "delaymsec", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'e', "error", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'n', "fail_nth", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'q', "rdelayprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'r', "rfailprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'w', "wfailprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'x', "wdelayprob", G_VAL_OPTIONAL, G_TYPE_NUMBER},
             {'z', "physpath", G_VAL_OPTIONAL, G_TYPE_STRING},
         },
         "[-v] [-c count_until_fail] [-d delaymsec] [-e error] [-n fail_nth] "
         "[-q rdelayprob] [-r rfailprob] [-w wfailprob] [-x wdelayprob] [-z physpath] "
         "prov ..."},
        {"destroy", G_FLAG_VERBOSE, nullptr, {{'f', "force", nullptr, G_TYPE_BOOL}},
         "[-fv] prov ..."},
        {"reset", G_FLAG_VERBOSE, nullptr, {}, "[-v] prov ..."},
    },
};

struct nop_lib_registrar {
  nop_lib_registrar() { register_geom_class_lib(&nop_lib); }
} nop_lib_registrar_instance;

int gnop_main(const std::vector<std::string> &argv, proc_io &io) {
  std::vector<std::string> rest(argv.begin() + (argv.empty() ? 0 : 1), argv.end());
  return geom_main("gnop", "nop", rest, io);
}

}  // namespace

SIM_PROGRAM(gnop, "gnop", gnop_main,
            "gnop create [-v] [-c count_until_fail] [-d delaymsec] [-e error] [-n fail_nth] "
            "[-o offset] [-p stripesize] [-P stripeoffset] [-q rdelayprob] [-r rfailprob] "
            "[-s size] [-S secsize] [-w wfailprob] [-x wdelayprob] [-z physpath] "
            "[-Z gnopname] dev ... | gnop configure [-v] [-c count_until_fail] [-d delaymsec] "
            "[-e error] [-n fail_nth] [-q rdelayprob] [-r rfailprob] [-w wfailprob] "
            "[-x wdelayprob] [-z physpath] prov ... | gnop destroy [-fv] prov ... | "
            "gnop reset [-v] prov ... | gnop list [-a] [name ...] | gnop status [-ags] [name ...]",
            "control utility for NOP GEOM class");

}  // namespace sim
