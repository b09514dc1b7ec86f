# gvirstor add and remove components of a running device; destroy is
# stop's other name. What follows remove is the seed's defect 5 (REDZONE).
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
mdconfig -a -t malloc -s 16m
gvirstor label -m 1m -s 64m vs md0 md1
gvirstor add -v vs md2
gvirstor status
gvirstor remove vs md2
gvirstor status -s
gvirstor destroy -f vs
