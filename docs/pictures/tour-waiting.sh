# docs/tour.md, picture tour-waiting.svg: the GEOM graph while a writer
# waits for physical space (scenarios/nospace.sh, stopped before
# `gvirstor add`).
#
# The script stops on purpose while dd still holds /dev/virstor/vs open,
# so that the picture shows non-zero access counts. geomsim reports the
# unfinished job ("never finished") and the run FAILs; the --dot file is
# written all the same.
mdconfig -a -t malloc -s 8m
mdconfig -a -t malloc -s 8m
gvirstor label -m 1m -s 64m vs md0
dd if=/dev/zero of=/dev/virstor/vs bs=1m count=6
@expect blocked
