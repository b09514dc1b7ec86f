/*
 * Stalling the GEOM threads (geom/g_stall.h). Each flag is guarded by the
 * mutex of the queue its thread takes work from, and the thread checks it
 * under that mutex before it takes the next piece of work; resuming wakes
 * it on the channel it sleeps on when idle.
 */
#include <sys/systm.h>

#include <string.h>

#include <geom/g_stall.h>

#include "geom_int.h"

namespace {

struct stall_target {
	bool *flag;
	struct mtx *mtx;
	void *chan;
};

bool
find_target(const char *thread, struct stall_target *t)
{
	if (thread == NULL || g_state == NULL)
		return (false);
	if (strcmp(thread, "g_event") == 0)
		*t = {&g_state->stall_event, &g_state->eventlock, &g_wait_event};
	else if (strcmp(thread, "g_up") == 0)
		*t = {&g_state->stall_up, &g_state->up_mtx, &g_wait_up};
	else if (strcmp(thread, "g_down") == 0)
		*t = {&g_state->stall_down, &g_state->down_mtx, &g_wait_down};
	else
		return (false);
	return (true);
}

int
set_stall(const char *thread, bool stall)
{
	struct stall_target t;

	if (!find_target(thread, &t))
		return (EINVAL);
	mtx_lock(t.mtx);
	*t.flag = stall;
	mtx_unlock(t.mtx);
	if (!stall)
		wakeup(t.chan);
	return (0);
}

}  // namespace

int
g_stall_thread(const char *thread)
{
	return (set_stall(thread, true));
}

int
g_resume_thread(const char *thread)
{
	return (set_stall(thread, false));
}

int
g_thread_stalled(const char *thread)
{
	struct stall_target t;
	int stalled;

	if (!find_target(thread, &t))
		return (-1);
	mtx_lock(t.mtx);
	stalled = *t.flag ? 1 : 0;
	mtx_unlock(t.mtx);
	return (stalled);
}
