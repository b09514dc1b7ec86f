/*
 * geom/g_list.h — the framework's object lists.
 *
 * A class's geoms, a geom's consumers and providers, a provider's
 * consumers, the class list and the rank-ordered geom list are
 * Boost.Intrusive lists (normal links: linking and unlinking are O(1) and
 * never allocate). Class code walks them with the kernel's macros, which
 * behave exactly as <sys/queue.h>'s do on a LIST: LIST_FIRST is NULL on an
 * empty list, and the variable of a LIST_FOREACH that runs to the end is
 * NULL afterwards (g_virstor_taste depends on that).
 *
 * A g_link records the list it is on, so LIST_NEXT(elm, field) works from
 * the element alone, as it does in C.
 */
#ifndef _GEOM_G_LIST_H_
#define _GEOM_G_LIST_H_

#include <boost/intrusive/list.hpp>

template <class T>
struct g_list_base {
	virtual T *after(const T *elm) const = 0;
	virtual T *before(const T *elm) const = 0;
};

/* LIST_ENTRY / TAILQ_ENTRY of the framework's objects. */
template <class T>
struct g_link : boost::intrusive::list_member_hook<
    boost::intrusive::link_mode<boost::intrusive::normal_link>> {
	const g_list_base<T> *owner = nullptr;
	T *self = nullptr;

	T *next() const { return owner ? owner->after(self) : nullptr; }
	T *prev() const { return owner ? owner->before(self) : nullptr; }
	bool linked() const { return owner != nullptr; }
};

/* LIST_HEAD / TAILQ_HEAD of the framework's objects. */
template <class T, g_link<T> T::*Field>
class g_list final : public g_list_base<T> {
	using hook = boost::intrusive::member_hook<T, g_link<T>, Field>;
	using list_t = boost::intrusive::list<T, hook,
	    boost::intrusive::constant_time_size<true>>;

public:
	using iterator = typename list_t::iterator;

	g_list() {}
	g_list(const g_list &) = delete;
	g_list &operator=(const g_list &) = delete;

	T *first() const {
		return l_.empty() ? nullptr : const_cast<T *>(&l_.front());
	}
	T *last() const {
		return l_.empty() ? nullptr : const_cast<T *>(&l_.back());
	}
	bool empty() const { return l_.empty(); }
	size_t size() const { return l_.size(); }

	T *after(const T *elm) const override {
		auto it = l_.iterator_to(*elm);
		++it;
		return it == l_.end() ? nullptr : const_cast<T *>(&*it);
	}
	T *before(const T *elm) const override {
		auto it = l_.iterator_to(*elm);
		if (it == l_.begin())
			return nullptr;
		--it;
		return const_cast<T *>(&*it);
	}

	void insert_head(T *elm) { l_.push_front(*elm); mark(elm); }
	void insert_tail(T *elm) { l_.push_back(*elm); mark(elm); }
	void insert_before(T *pos, T *elm) {
		l_.insert(l_.iterator_to(*pos), *elm);
		mark(elm);
	}
	void insert_after(T *pos, T *elm) {
		auto it = l_.iterator_to(*pos);
		++it;
		l_.insert(it, *elm);
		mark(elm);
	}
	void remove(T *elm) {
		l_.erase(l_.iterator_to(*elm));
		(elm->*Field).owner = nullptr;
	}
	/* Forgets every element without touching them (their memory may be
	 * gone: used when a kernel is torn down). */
	void reset() { l_.clear(); }

	iterator begin() { return l_.begin(); }
	iterator end() { return l_.end(); }

private:
	void mark(T *elm) {
		(elm->*Field).owner = this;
		(elm->*Field).self = elm;
	}
	list_t l_;
};

#undef LIST_FIRST
#undef LIST_NEXT
#undef LIST_EMPTY
#undef LIST_FOREACH
#undef LIST_FOREACH_SAFE
#define LIST_FIRST(head)	((head)->first())
#define LIST_NEXT(elm, field)	((elm)->field.next())
#define LIST_EMPTY(head)	((head)->empty())
#define LIST_FOREACH(var, head, field)					\
	for ((var) = LIST_FIRST((head));				\
	    (var);							\
	    (var) = LIST_NEXT((var), field))
#define LIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = LIST_FIRST((head));				\
	    (var) && ((tvar) = LIST_NEXT((var), field), 1);		\
	    (var) = (tvar))

#endif /* !_GEOM_G_LIST_H_ */
