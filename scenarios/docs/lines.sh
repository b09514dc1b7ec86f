# What a line can hold: words and quotes as sh(1) splits them, comments,
# redirections (> >> <) and a background job (&).
echo 'single quotes keep $HOME and "this"' "double quotes: \"\$\\" back\ slash # a comment
echo one > /var/tmp/list
echo two >> /var/tmp/list
dd if=/var/tmp/list status=none
mdconfig -a -t malloc -s 1m
# Standard input from md0 keeps md0 open as long as sleep runs.
sleep 10 < /dev/md0 &
mdconfig -d -u 0
@expect fail Device busy
@wait
mdconfig -d -u 0
