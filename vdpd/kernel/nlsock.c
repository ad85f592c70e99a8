/* SPDX-License-Identifier: ISC */
/* vdpd: netlink request/answer with per-message errors and extended acks
 * (see nlsock.h).  Built on libmnl because it hands back the raw nlmsgerr:
 * the errno, the failing seq and the extack text, which is what an error
 * report naming the op needs. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>

#include "kernel/nlsock.h"

/* An answer that never comes is a bug or a wedged kernel: do not hang the
 * daemon's loop on it for more than this. */
#define NLSOCK_TIMEOUT_MS 5000

int nlsock_open(struct nlsock *s, int bus)
{
	int on = 1;

	s->nl = mnl_socket_open(bus);
	if (!s->nl)
		return -errno;
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = -errno;

		mnl_socket_close(s->nl);
		s->nl = NULL;
		return e;
	}
	/* Ask for the kernel's error text, and not for a copy of our own
	 * request in each error (rules can be large). Both are best effort. */
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &on, sizeof(on));
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = 1;
	return 0;
}

void nlsock_close(struct nlsock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
}

uint32_t nlsock_seq(struct nlsock *s, uint32_t n)
{
	uint32_t first = s->seq;

	s->seq += n;
	return first;
}

static int extack_cb(const struct nlattr *a, void *data)
{
	char *ext = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(ext, sizeof(((struct nlans *)0)->ext), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* Fills ans from an NLMSG_ERROR message.  Returns its errno (<= 0). */
static int parse_err(const struct nlmsghdr *nlh, struct nlans *ans, char *ext)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	ext[0] = 0;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, off, extack_cb, ext);
	}
	return e->error;
}

static int wait_readable(struct nlsock *s)
{
	struct pollfd p = {.fd = mnl_socket_get_fd(s->nl), .events = POLLIN};
	int r = poll(&p, 1, NLSOCK_TIMEOUT_MS);

	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int send_counted(struct nlsock *s, const void *buf, size_t len, bool dump)
{
	s->st.sends++;
	s->st.bytes += len;
	s->st.dumps += dump;
	return mnl_socket_sendto(s->nl, buf, len) < 0 ? -errno : 0;
}

int nlsock_talk(struct nlsock *s, const void *buf, size_t len, uint32_t first, uint32_t nack,
                struct nlans *ans)
{
	return nlsock_talk_cb(s, buf, len, first, nack, NULL, NULL, ans);
}

int nlsock_talk_cb(struct nlsock *s, const void *buf, size_t len, uint32_t first, uint32_t nack,
                   mnl_cb_t cb, void *data, struct nlans *ans)
{
	int sr;
	char rb[MNL_SOCKET_BUFFER_SIZE];
	uint32_t answered = 0;
	char ext[sizeof(ans->ext)];

	ans->err = 0;
	ans->seq = 0;
	ans->ext[0] = 0;
	if ((sr = send_counted(s, buf, len, false)) < 0)
		return ans->err = sr;
	while (answered < nack) {
		ssize_t n;
		const struct nlmsghdr *nlh;
		int rest, r = wait_readable(s);

		if (r < 0)
			return ans->err = ans->err ? ans->err : r;
		n = mnl_socket_recvfrom(s->nl, rb, sizeof(rb));
		if (n < 0)
			return ans->err = ans->err ? ans->err : -errno;
		rest = (int)n;
		for (nlh = (const struct nlmsghdr *)rb; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest)) {
			int e;
			uint32_t seq;

			s->st.recv_msgs++;
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				if (cb)
					cb(nlh, data);
				continue;
			}
			e = parse_err(nlh, ans, ext);
			seq = ((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_seq;
			if (e < 0 && (!ans->err || seq < ans->seq)) {
				ans->err = e;
				ans->seq = seq;
				memcpy(ans->ext, ext, sizeof(ext));
			}
			if (seq - first < nack) /* unsigned: wraps safely */
				answered++;
			else if (e < 0)
				return ans->err; /* the batch as a whole was refused */
		}
	}
	return ans->err;
}

int nlsock_request(struct nlsock *s, struct nlmsghdr *nlh, struct nlans *ans)
{
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nlsock_seq(s, 1);
	return nlsock_talk(s, nlh, nlh->nlmsg_len, nlh->nlmsg_seq, 1, ans);
}

int nlsock_dump(struct nlsock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, struct nlans *ans)
{
	char rb[MNL_SOCKET_BUFFER_SIZE];
	int r;

	ans->err = 0;
	ans->seq = 0;
	ans->ext[0] = 0;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = nlsock_seq(s, 1);
	if ((r = send_counted(s, nlh, nlh->nlmsg_len, true)) < 0)
		return ans->err = r;
	do {
		ssize_t n;

		r = wait_readable(s);
		if (r < 0)
			break;
		n = mnl_socket_recvfrom(s->nl, rb, sizeof(rb));
		if (n < 0) {
			r = -errno;
			break;
		}
		s->st.recv_msgs++; /* per read: a dump's cost is counted by dumps */
		r = mnl_cb_run(rb, (size_t)n, nlh->nlmsg_seq, s->portid, cb, data);
		if (r < 0)
			r = -errno;
	} while (r > 0);
	ans->seq = nlh->nlmsg_seq;
	return ans->err = r < 0 ? r : 0;
}

const char *nlans_str(const struct nlans *ans, char *buf, size_t cap)
{
	if (ans->ext[0])
		snprintf(buf, cap, "%s (%s)", strerror(-ans->err), ans->ext);
	else
		snprintf(buf, cap, "%s", strerror(-ans->err));
	return buf;
}
