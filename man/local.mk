dist_man_MANS += man/vdp-protocol.7
