# @expect stdout|stderr|output contains|equals|lacks TEXT: the output of
# the command before; console: the kernel's lines since it started.
mdconfig -a -t malloc -s 1m
@expect stdout equals md0
@expect output equals md0
mdconfig -d -u 7
@expect fail
@expect stderr contains "ioctl(/dev/mdctl): No such file"
@expect stdout lacks md
gnop create md0
@expect console contains Device md0.nop created.
@expect console lacks removed
