# echo, sleep (simulated seconds), true and false.
echo hello, world
echo -n hello > /var/tmp/five
dd if=/var/tmp/five of=/dev/null bs=1 status=noxfer
sleep 1.5
true
false
@expect exit 1
