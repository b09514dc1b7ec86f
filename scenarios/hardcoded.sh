# Hard-coded component names (gvirstor label -h).
#
# Normally a component is recognised by its metadata wherever it shows up.
# With -h, label writes each provider's name into its metadata, and
# g_virstor_taste accepts the component only when it is offered under that
# name (g_compare_names): the same disk under another name is ignored.
# Image files make the point: attached as other md units, the disks keep
# their data but change names.
truncate -s 32m /var/tmp/a.img
truncate -s 32m /var/tmp/b.img
mdconfig -a -t vnode -f /var/tmp/a.img -u 0
mdconfig -a -t vnode -f /var/tmp/b.img -u 1
gvirstor label -h -m 1m -s 128m vs md0 md1
gvirstor dump md1
@expect stdout contains Hardcoded provider: md1
gvirstor stop vs
mdconfig -d -u 0
mdconfig -d -u 1
# The same files as md5 and md6: names that are not the hard-coded ones.
mdconfig -a -t vnode -f /var/tmp/a.img -u 5
mdconfig -a -t vnode -f /var/tmp/b.img -u 6
@expect no-device /dev/virstor/vs
mdconfig -d -u 5
mdconfig -d -u 6
# Back under their own names, they make the device again.
mdconfig -a -t vnode -f /var/tmp/a.img -u 0
mdconfig -a -t vnode -f /var/tmp/b.img -u 1
@expect device /dev/virstor/vs
