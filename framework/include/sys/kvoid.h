/*
 * sys/kvoid.h — C's void * for class code compiled as C++.
 *
 * Kernel C code relies on void * converting to any object pointer without a
 * cast (sc = gp->softc; buf = malloc(...); comp = cp->private). C++ forbids
 * that, so the framework types such pointers as kvoid: it holds a void *,
 * accepts any pointer, and converts back to any object pointer, as C does.
 * This keeps ported class code unchanged.
 */
#ifndef _SYS_KVOID_H_
#define _SYS_KVOID_H_

#include <cstddef>

struct kvoid {
	void *p;

	kvoid() = default;
	/* NULL and nullptr arrive here. */
	constexpr kvoid(void *v) : p(v) {}
	/* Any other object pointer, as C converts it to void *. */
	template <class T>
	constexpr kvoid(const T *v) : p(const_cast<void *>(static_cast<const void *>(v))) {}
	template <class T>
	constexpr operator T *() const { return static_cast<T *>(p); }
	constexpr void *get() const { return p; }
	explicit constexpr operator bool() const { return p != nullptr; }

	friend constexpr bool operator==(kvoid a, kvoid b) { return a.p == b.p; }
	friend constexpr bool operator==(kvoid a, const void *b) { return a.p == b; }
};

static_assert(sizeof(kvoid) == sizeof(void *), "kvoid is a plain pointer");

/* How printf-like kernel functions receive arguments (kvoid -> void *). */
template <class T>
constexpr T kern_arg(T v) { return v; }
constexpr void *kern_arg(kvoid v) { return v.p; }

#endif /* !_SYS_KVOID_H_ */
