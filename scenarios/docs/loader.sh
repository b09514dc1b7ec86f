# @loader: lines of /boot/loader.conf. Those before the first command
# configure the first boot; later ones count from the next boot.
@loader geom_virstor_load=YES
@loader kern.geom.virstor.debug=0
kldstat
sysctl kern.geom.virstor.debug
@loader kern.geom.virstor.debug=15
@loader geom_nop_load=YES
sysctl kern.geom.virstor.debug
@reboot
kldstat
sysctl kern.geom.virstor.debug
