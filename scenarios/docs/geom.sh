# geom(8) drives any class with the standard verbs: load, status, list,
# help, unload (and a class's own verbs: "geom nop create" is gnop create).
geom nop load -v
mdconfig -a -t malloc -s 1m
geom nop create md0
geom nop status
geom md list
geom nop help
@expect exit 1
geom nop destroy md0.nop
geom nop unload
geom nop status
@expect fail not available
