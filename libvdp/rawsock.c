/* SPDX-License-Identifier: ISC */
/* libvdp: the raw socket ECP and EVB run on (see vdp/rawsock.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vdp/ecp.h>
#include <vdp/rawsock.h>

#define LLDP_ETHERTYPE 0x88cc

static int attach_filter(int fd, unsigned what)
{
	/* ld [12]; jeq ECP -> accept; jeq LLDP(or ECP again) -> accept; drop */
	uint16_t second = (what & VDP_RAWSOCK_LLDP) ? LLDP_ETHERTYPE : VDP_ECP_ETHERTYPE;
	struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VDP_ECP_ETHERTYPE, 1, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, second, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 0xffff),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

int vdp_rawsock_open(struct vdp_rawsock *s, const char *ifname, unsigned what, char *err,
                     size_t errlen)
{
	int one = 1, e;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (!ifname || strlen(ifname) >= IFNAMSIZ || !(s->ifindex = (int)if_nametoindex(ifname))) {
		snprintf(err, errlen, "no interface named '%s'", ifname ? ifname : "(null)");
		return -ENODEV;
	}
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (s->fd < 0) {
		e = errno;
		snprintf(err, errlen, "%s: AF_PACKET socket: %s (needs CAP_NET_RAW)", ifname,
		         strerror(e));
		return -e;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = s->ifindex};
	struct packet_mreq mr = {
	    .mr_ifindex = s->ifindex, .mr_type = PACKET_MR_MULTICAST, .mr_alen = 6};
	memcpy(mr.mr_address, vdp_ecp_ncb_addr, 6);
	if (attach_filter(s->fd, what) < 0 || ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0 ||
	    bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		e = errno;
		snprintf(err, errlen, "%s: setting up the raw socket: %s", ifname, strerror(e));
		vdp_rawsock_close(s);
		return -e;
	}
	/* Our own transmissions are not input (Linux 4.20 and later). */
	(void)setsockopt(s->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	memcpy(s->mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int vdp_rawsock_send(const struct vdp_rawsock *s, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET, .sll_ifindex = s->ifindex, .sll_halen = 6};
	if (len < 6)
		return -EINVAL;
	memcpy(sll.sll_addr, frame, 6);
	return sendto(s->fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0 ? -errno : 0;
}

void vdp_rawsock_close(struct vdp_rawsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
