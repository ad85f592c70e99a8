/* SPDX-License-Identifier: ISC */
/* vdpd: one netlink request/answer path for the netlink backend.
 *
 * Everything the backend writes (rtnetlink VLAN and tc requests, nftables
 * batches) goes through nlsock_talk(), so every kernel error is reported
 * the same way: the errno, the sequence number of the message that failed
 * (to name the op) and the kernel's extended-ack text when it gave one. */
#ifndef VDPD_NLSOCK_H
#define VDPD_NLSOCK_H

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>

/* What went over the socket since it was opened: the proof that the
 * backend's work per change does not grow with the table (tests, bench). */
struct nlstats {
	uint64_t sends;     /* sendto() calls: requests, batches, dumps */
	uint64_t bytes;     /* octets sent */
	uint64_t dumps;     /* of which dump requests */
	uint64_t recv_msgs; /* messages received: answers, acks, echoes */
};

struct nlsock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	struct nlstats st;
};

/* The kernel's answer: the first failing message in send order. */
struct nlans {
	int err;       /* 0 or negative errno */
	uint32_t seq;  /* seq of the failing message */
	char ext[192]; /* extack message, "" if none */
};

int nlsock_open(struct nlsock *s, int bus); /* NETLINK_ROUTE, NETLINK_NETFILTER */
void nlsock_close(struct nlsock *s);
/* Reserves n consecutive sequence numbers and returns the first. */
uint32_t nlsock_seq(struct nlsock *s, uint32_t n);

/* Sends buf and reads answers until each of the nack messages whose seq is
 * in [first, first + nack) was answered, or an error arrives for another
 * seq (a batch refused as a whole).  Returns 0 or the first error. */
int nlsock_talk(struct nlsock *s, const void *buf, size_t len, uint32_t first, uint32_t nack,
                struct nlans *ans);
/* The same; cb (unless NULL) sees every answer that is not an ack or an
 * error: the echoes of NLM_F_ECHO requests. */
int nlsock_talk_cb(struct nlsock *s, const void *buf, size_t len, uint32_t first, uint32_t nack,
                   mnl_cb_t cb, void *data, struct nlans *ans);
/* One request built in buf (seq, NLM_F_ACK set here). */
int nlsock_request(struct nlsock *s, struct nlmsghdr *nlh, struct nlans *ans);
/* A dump: cb runs for each answer message until NLMSG_DONE. */
int nlsock_dump(struct nlsock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, struct nlans *ans);

/* "Operation not supported" or "Operation not supported (extack text)". */
const char *nlans_str(const struct nlans *ans, char *buf, size_t cap);

#endif
