# Background jobs (&), @sleep (simulated time passes, jobs run) and @wait
# (for every job); @echo adds a line of explanation to the transcript.
sleep 10 &
sleep 2 &
@sleep 5s
@echo five seconds later, only the first sleep is left
@wait
