# SPDX-License-Identifier: ISC
# etc/: what `make install` puts around the programs.  The sample
# configuration (installed unless one is there already, and removed by
# `make uninstall` only if unchanged), the state directory, the systemd
# units, tmpfiles.d and sysusers.d; each with configure's paths and user
# substituted by man/local.mk's $(VDP_SUBST_PATHS).
EXTRA_DIST += etc/vdpd.conf etc/vdpd.service.in etc/vdp-station.service.in \
	etc/vdpd.tmpfiles.in etc/vdpd.sysusers.in
if DAEMON
systemdsystemunit_DATA = etc/out/vdpd.service etc/out/vdp-station.service
tmpfiles_DATA = etc/out/tmpfiles/vdpd.conf
sysusers_DATA = etc/out/sysusers/vdpd.conf
noinst_DATA = etc/out/vdpd.conf
CLEANFILES += etc/out/vdpd.conf etc/out/vdpd.service etc/out/vdp-station.service \
	etc/out/tmpfiles/vdpd.conf etc/out/sysusers/vdpd.conf

etc/out/%.service: $(srcdir)/etc/%.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc/out && $(VDP_SUBST_PATHS) $< >$@.tmp && mv $@.tmp $@
etc/out/vdpd.conf: $(srcdir)/etc/vdpd.conf Makefile
	$(AM_V_GEN)$(MKDIR_P) etc/out && $(VDP_SUBST_PATHS) $< >$@.tmp && mv $@.tmp $@
etc/out/tmpfiles/vdpd.conf: $(srcdir)/etc/vdpd.tmpfiles.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc/out/tmpfiles && $(VDP_SUBST_PATHS) $< >$@.tmp && mv $@.tmp $@
etc/out/sysusers/vdpd.conf: $(srcdir)/etc/vdpd.sysusers.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc/out/sysusers && $(VDP_SUBST_PATHS) $< >$@.tmp && mv $@.tmp $@

install-data-local: etc/out/vdpd.conf
	$(MKDIR_P) $(DESTDIR)$(sysconfdir) $(DESTDIR)$(localstatedir)/lib/vdpd
	test -f $(DESTDIR)$(sysconfdir)/vdpd.conf || \
		$(INSTALL_DATA) etc/out/vdpd.conf $(DESTDIR)$(sysconfdir)/vdpd.conf
uninstall-local:
	if cmp -s etc/out/vdpd.conf $(DESTDIR)$(sysconfdir)/vdpd.conf; then \
		rm -f $(DESTDIR)$(sysconfdir)/vdpd.conf; fi
	-rmdir $(DESTDIR)$(localstatedir)/lib/vdpd 2>/dev/null

# make installcheck (make distcheck installs under a prefix of its own):
# the installed man pages, units, tmpfiles.d, sysusers.d and sample
# configuration name configure's directories, not the Debian ones the
# sources spell, wherever the two differ.
installcheck-local:
	@bad=""; \
	for pair in "/etc:$(VDP_SYSCONFDIR)" "/var:$(VDP_LOCALSTATEDIR)" "/run:$(VDP_RUNSTATEDIR)"; do \
		deb=$${pair%%:*}; ours=$${pair#*:}; [ "$$deb" = "$$ours" ] && continue; \
		case $$deb in /etc) re='/etc/(vdpd\.conf|default/vdp-station)' ;; \
			/var) re='/var/lib/vdpd' ;; *) re='/run/vdp(d|-station)' ;; esac; \
		for f in $(DESTDIR)$(mandir)/man[0-9]/* $(DESTDIR)$(systemdsystemunitdir)/vdp*.service \
			$(DESTDIR)$(tmpfilesdir)/vdpd.conf $(DESTDIR)$(sysusersdir)/vdpd.conf \
			$(DESTDIR)$(sysconfdir)/vdpd.conf; do \
			grep -HnE "(^|[^A-Za-z0-9_./-])$$re" "$$f" && bad=1; \
		done; \
	done; \
	if [ -n "$$bad" ]; then echo "installcheck: the lines above name a path configure did not choose"; exit 1; fi; \
	echo "installcheck: the installed man pages, units and configuration name configure's paths"
endif
