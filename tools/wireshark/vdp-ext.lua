-- SPDX-License-Identifier: ISC
-- vdp-ext.lua: a Wireshark dissector for VDPDUs (ECP subtype 1) with the
-- vdpd project's extension TLVs, as vdp-protocol(7) specifies them: Policy
-- Sync / Update / Remove (types 6, 7, 8) with every policy type, the Help
-- Request (type 9), and the request status bits M (migrated in) and S
-- (suspended) of every VSI TLV.
--
-- Wireshark's own vdp21 dissector knows types 1 to 5 and 127 and shows ours
-- as "VDP TLV Type: Unknown (6)".  This script takes ECP subtype 1 over and
-- walks the TLVs itself: each standard TLV is still handed to vdp21 (so
-- vdp21.* fields and filters keep working), and every TLV also gets a
-- "vdpext" subtree with its fields by name (vdpext.*, listed by `tshark -G
-- fields | grep vdpext`).  A TLV whose layout is wrong is marked
-- (vdpext.malformed, an expert note) and not decoded further.
--
-- Install: copy into Wireshark's Lua plugin directory (the vdp-tools
-- package does: /usr/lib/<triplet>/wireshark/plugins), or
--   tshark -X lua_script:vdp-ext.lua -r capture.pcap -V

local vdpext = Proto("vdpext", "VDP extensions (vdpd: VNID policy, help request, M/S bits)")

local TLV_NAMES = {
	[0] = "End", [1] = "Pre-Associate", [2] = "Pre-Associate with resource reservation",
	[3] = "Associate", [4] = "De-Associate", [5] = "VSI Manager ID",
	[6] = "Policy Sync", [7] = "Policy Update", [8] = "Policy Remove", [9] = "Help Request",
	[127] = "Organizationally defined",
}
-- Every other value gets a name too: Wireshark would say "Unknown (N)".
for v = 10, 126 do
	TLV_NAMES[v] = "Reserved"
end
local FMT_NAMES = { [1] = "IPv4", [2] = "IPv6", [3] = "MAC", [4] = "local", [5] = "UUID" }
local FILTER_NAMES = { [1] = "VID", [2] = "MAC/VID", [3] = "GroupID/VID", [4] = "GroupID/MAC/VID" }
for v = 0, 255 do
	FMT_NAMES[v] = FMT_NAMES[v] or "reserved (invalid)"
	FILTER_NAMES[v] = FILTER_NAMES[v] or "reserved (invalid)"
end
local FILTER_SIZE = { [1] = 2, [2] = 8, [3] = 6, [4] = 12 }
local ERR_NAMES = {
	[0] = "success", [1] = "invalid format", [2] = "insufficient resources",
	[3] = "unable to contact the VSI manager", [4] = "other failure",
	[5] = "invalid VID, GroupID or MAC address",
}
local POL_NAMES = {
	[0] = "none", [1] = "bandwidth", [2] = "ACL rule", [3] = "QoS", [4] = "VN",
	[5] = "DHCP snooping", [6] = "IGMP snooping", [7] = "VLAN",
}
-- The info length each known policy type must have (VN: 9 or 21).
for v = 8, 255 do
	POL_NAMES[v] = "not known here (skipped)"
end
for v = 6, 15 do
	ERR_NAMES[v] = "reserved"
end
local POL_LEN = { [0] = 0, [1] = 9, [2] = 49, [3] = 2, [5] = 1, [6] = 1, [7] = 2 }
local DIR_NAMES = { [0] = "to the VM", [1] = "from the VM", [2] = "both" }
local ACTION_NAMES = { [0] = "deny", [1] = "permit" }

local f = vdpext.fields
f.tlv = ProtoField.bytes("vdpext.tlv", "TLV")
f.type = ProtoField.uint16("vdpext.type", "Type", base.DEC, TLV_NAMES, 0xFE00)
f.len = ProtoField.uint16("vdpext.len", "Length", base.DEC, nil, 0x01FF)
f.malformed = ProtoField.string("vdpext.malformed", "Malformed")
f.padding = ProtoField.bytes("vdpext.padding", "End TLV / padding")
-- status octet, request and response readings (VSI, policy and help TLVs)
f.status = ProtoField.uint8("vdpext.status", "Status", base.HEX)
f.response = ProtoField.bool("vdpext.status.response", "Response", 8, nil, 0x40)
f.sbit = ProtoField.bool("vdpext.status.s", "S (suspended: migrating away)", 8, nil, 0x20)
f.mbit = ProtoField.bool("vdpext.status.m", "M (migrated in)", 8, nil, 0x10)
f.keep = ProtoField.bool("vdpext.status.keep", "KEEP (previous state kept)", 8, nil, 0x20)
f.hard = ProtoField.bool("vdpext.status.hard", "HARD (permanent error)", 8, nil, 0x10)
f.error = ProtoField.uint8("vdpext.status.error", "Error", base.DEC, ERR_NAMES, 0x0F)
-- VSI TLVs (1 to 4)
f.type_id = ProtoField.uint24("vdpext.vsi.type_id", "VSI Type ID (VNID bits 23..0)")
f.type_ver = ProtoField.uint8("vdpext.vsi.type_version", "VSI Type Version (VNID bits 31..24)")
f.vsiid_fmt = ProtoField.uint8("vdpext.vsiid_format", "VSIID format", base.DEC, FMT_NAMES)
f.vsiid = ProtoField.string("vdpext.vsiid", "VSIID")
f.filter_fmt = ProtoField.uint8("vdpext.vsi.filter_format", "Filter format", base.DEC, FILTER_NAMES)
f.count = ProtoField.uint16("vdpext.count", "Number of entries")
f.filter = ProtoField.bytes("vdpext.filter", "Filter entry")
f.group = ProtoField.uint32("vdpext.filter.group", "GroupID")
f.mac = ProtoField.string("vdpext.mac", "MAC")
f.ps = ProtoField.bool("vdpext.ps", "PS (priority present)", 16, nil, 0x8000)
f.pcp = ProtoField.uint16("vdpext.pcp", "PCP", base.DEC, nil, 0x7000)
f.vid = ProtoField.uint16("vdpext.vid", "VID", base.DEC, nil, 0x0FFF)
-- Manager ID and organizational TLVs
f.mgrid = ProtoField.bytes("vdpext.mgrid", "VSI Manager ID")
f.oui = ProtoField.uint24("vdpext.org.oui", "OUI", base.HEX)
f.org_data = ProtoField.bytes("vdpext.org.data", "Data")
-- policy TLVs (6, 7, 8)
f.vnid = ProtoField.uint32("vdpext.policy.vnid", "VNID")
f.entry = ProtoField.bytes("vdpext.entry", "Policy entry")
f.pe_type = ProtoField.uint8("vdpext.entry.type", "Policy type", base.DEC, POL_NAMES)
f.pe_len = ProtoField.uint16("vdpext.entry.len", "Info length")
f.pe_data = ProtoField.bytes("vdpext.entry.data", "Info (unknown type, skipped)")
f.dir = ProtoField.uint8("vdpext.entry.dir", "Direction", base.DEC, DIR_NAMES)
f.rate = ProtoField.uint32("vdpext.bw.rate", "Rate (kbit/s)")
f.burst = ProtoField.uint32("vdpext.bw.burst", "Burst (octets; 0: the switch chooses)")
f.action = ProtoField.uint8("vdpext.acl.action", "Action", base.DEC, ACTION_NAMES)
f.ethertype = ProtoField.uint16("vdpext.acl.ethertype", "EtherType (0: any)", base.HEX)
f.proto = ProtoField.uint8("vdpext.acl.proto", "IP protocol (0: any)")
f.src = ProtoField.string("vdpext.acl.src", "Source prefix")
f.dst = ProtoField.string("vdpext.acl.dst", "Destination prefix")
f.sport_lo = ProtoField.uint16("vdpext.acl.sport_lo", "Source port, low")
f.sport_hi = ProtoField.uint16("vdpext.acl.sport_hi", "Source port, high")
f.dport_lo = ProtoField.uint16("vdpext.acl.dport_lo", "Destination port, low")
f.dport_hi = ProtoField.uint16("vdpext.acl.dport_hi", "Destination port, high")
f.qos_pcp = ProtoField.uint8("vdpext.qos.pcp", "PCP to apply (255: unset)")
f.qos_dscp = ProtoField.uint8("vdpext.qos.dscp", "DSCP to apply (255: unset)")
f.vn_vnid = ProtoField.uint32("vdpext.vn.vnid", "VNID")
f.vn_family = ProtoField.uint8("vdpext.vn.family", "Multicast family")
f.vn_mcast = ProtoField.string("vdpext.vn.mcast", "Multicast group")
f.enable = ProtoField.bool("vdpext.entry.enable", "Enable")
f.pvlan = ProtoField.uint16("vdpext.vlan.vid", "VLAN ID (0: the switch chooses)")
-- help request (9)
f.flags = ProtoField.uint8("vdpext.help.flags", "Flags", base.HEX)
f.flag_dhcp = ProtoField.bool("vdpext.help.flags.dhcp", "DHCP re-request", 8, nil, 0x01)
f.ipv4 = ProtoField.ipv4("vdpext.help.ipv4", "The VM's last known IPv4 address")

local ex_malformed = ProtoExpert.new("vdpext.malformed.expert", "Malformed VDP TLV",
	expert.group.MALFORMED, expert.severity.ERROR)
vdpext.experts = { ex_malformed }

-- Wireshark's own VDP dissector: registered for ECP subtype 1 under no
-- name of its own, so taken from the table before this script replaces it.
local ecp_subtypes = DissectorTable.get("ecp.subtype")
local vdp21 = ecp_subtypes:get_dissector(1)

local function hexsep(range, sep)
	local h = range:bytes():tohex(true)
	return (h:gsub("(%x%x)", "%1" .. sep):sub(1, -1 - #sep))
end

-- The VSIID as vdp-pcap and vdpctl print it, by format.
local function vsiid_text(fmt, r)
	if fmt == 5 then
		local h = r:bytes():tohex(true)
		return h:sub(1, 8) .. "-" .. h:sub(9, 12) .. "-" .. h:sub(13, 16) .. "-" ..
			h:sub(17, 20) .. "-" .. h:sub(21, 32)
	elseif fmt == 1 then
		return tostring(r:range(12, 4):ipv4())
	elseif fmt == 2 then
		return tostring(r:ipv6())
	elseif fmt == 3 then
		return hexsep(r:range(10, 6), ":")
	end
	return r:bytes():tohex(true)
end

local function bad(t, r, what)
	t:add(f.malformed, r, what)
	t:add_proto_expert_info(ex_malformed, what)
end

-- The status octet: request bits (M, S) or response bits (KEEP, HARD, error).
local function status(t, r, vsi)
	local s = r:uint()
	local st = t:add(f.status, r)
	st:add(f.response, r)
	if bit32.band(s, 0x40) ~= 0 then
		if vsi then
			st:add(f.keep, r)
			st:add(f.hard, r)
		end
		st:add(f.error, r)
	elseif vsi then
		st:add(f.sbit, r)
		st:add(f.mbit, r)
	end
	return s
end

local function ps_pcp_vid(t, r)
	t:add(f.ps, r)
	t:add(f.pcp, r)
	t:add(f.vid, r)
end

local function vsi_tlv(t, v)
	if v:len() < 25 then
		return bad(t, v, "VSI TLV shorter than 25 octets")
	end
	local ffmt, n = v(22, 1):uint(), v(23, 2):uint()
	local size = FILTER_SIZE[ffmt]
	-- The fixed part first: an error answer echoes it alone, whatever
	-- the count or format it refuses (vdp-protocol(7)).
	status(t, v(0, 1), true)
	t:add(f.type_id, v(1, 3))
	t:add(f.type_ver, v(4, 1))
	t:add(f.vsiid_fmt, v(5, 1))
	t:add(f.vsiid, v(6, 16), vsiid_text(v(5, 1):uint(), v(6, 16)))
	t:add(f.filter_fmt, v(22, 1))
	t:add(f.count, v(23, 2))
	if not size then
		return bad(t, v(22, 1), "unknown filter format")
	end
	if v:len() ~= 25 + n * size then
		return bad(t, v, "length is not 25 + entries x " .. size)
	end
	for i = 0, n - 1 do
		local e = v(25 + i * size, size)
		local ft = t:add(f.filter, e)
		ft:set_text("Filter entry " .. i)
		if ffmt >= 3 then
			ft:add(f.group, e(0, 4))
		end
		if ffmt == 2 or ffmt == 4 then
			ft:add(f.mac, e(size - 8, 6), hexsep(e(size - 8, 6), ":"))
		end
		ps_pcp_vid(ft, e(size - 2, 2))
	end
end

local function prefix(t, field, r)
	local fam, plen = r(0, 1):uint(), r(1, 1):uint()
	local text
	if fam == 0 then
		text = "any"
	elseif fam == 4 then
		text = tostring(r(2, 4):ipv4()) .. "/" .. plen
	elseif fam == 6 then
		text = tostring(r(2, 16):ipv6()) .. "/" .. plen
	else
		text = "family " .. fam .. " (invalid)"
	end
	t:add(field, r, text)
end

-- One policy entry's info, by type; false if its length is wrong.
local function policy_info(t, ptype, i)
	local l = i:len()
	if POL_LEN[ptype] and POL_LEN[ptype] ~= l then
		return false
	end
	if ptype == 1 then
		t:add(f.dir, i(0, 1))
		t:add(f.rate, i(1, 4))
		t:add(f.burst, i(5, 4))
	elseif ptype == 2 then
		t:add(f.action, i(0, 1))
		t:add(f.dir, i(1, 1))
		t:add(f.ethertype, i(2, 2))
		t:add(f.proto, i(4, 1))
		prefix(t, f.src, i(5, 18))
		prefix(t, f.dst, i(23, 18))
		t:add(f.sport_lo, i(41, 2))
		t:add(f.sport_hi, i(43, 2))
		t:add(f.dport_lo, i(45, 2))
		t:add(f.dport_hi, i(47, 2))
	elseif ptype == 3 then
		t:add(f.qos_pcp, i(0, 1))
		t:add(f.qos_dscp, i(1, 1))
	elseif ptype == 4 then
		local fam = l >= 5 and i(4, 1):uint()
		if not ((fam == 4 and l == 9) or (fam == 6 and l == 21)) then
			return false
		end
		t:add(f.vn_vnid, i(0, 4))
		t:add(f.vn_family, i(4, 1))
		if fam == 4 then
			t:add(f.vn_mcast, i(5, 4), tostring(i(5, 4):ipv4()))
		else
			t:add(f.vn_mcast, i(5, 16), tostring(i(5, 16):ipv6()))
		end
	elseif ptype == 5 or ptype == 6 then
		t:add(f.enable, i(0, 1))
	elseif ptype == 7 then
		t:add(f.pvlan, i(0, 2))
	elseif l > 0 then
		t:add(f.pe_data, i)
	end
	return true
end

local function policy_tlv(t, v)
	if v:len() < 7 then
		return bad(t, v, "policy TLV shorter than 7 octets")
	end
	-- The entries must fill the TLV exactly: walk them first.
	local n, off, spans = v(5, 2):uint(), 7, {}
	for k = 1, n do
		if off + 3 > v:len() then
			return bad(t, v, "the count promises more entries than there are octets")
		end
		local l = v(off + 1, 2):uint()
		if off + 3 + l > v:len() then
			return bad(t, v(off), "entry " .. (k - 1) .. " runs past the TLV")
		end
		spans[k] = { off, l }
		off = off + 3 + l
	end
	if off ~= v:len() then
		return bad(t, v, "octets left after the last entry")
	end
	status(t, v(0, 1), false)
	t:add(f.type_id, v(1, 3))
	t:add(f.type_ver, v(4, 1))
	t:add(f.vnid, v(1, 4), v(1, 3):uint() + v(4, 1):uint() * 0x1000000)
	t:add(f.count, v(5, 2))
	for k, s in ipairs(spans) do
		local e = v(s[1], 3 + s[2])
		local ptype = e(0, 1):uint()
		local et = t:add(f.entry, e)
		et:set_text("Policy entry " .. (k - 1) .. ": " .. (POL_NAMES[ptype] or "unknown type " .. ptype))
		et:add(f.pe_type, e(0, 1))
		et:add(f.pe_len, e(1, 2))
		local info = s[2] > 0 and e(3, s[2]) or e(3, 0)
		if not policy_info(et, ptype, info) then
			bad(et, e, "wrong info length for " .. POL_NAMES[ptype])
		end
	end
end

local function help_tlv(t, v)
	if v:len() ~= 31 then
		return bad(t, v, "help request TLV is not 31 octets")
	end
	status(t, v(0, 1), false)
	local fl = t:add(f.flags, v(1, 1))
	fl:add(f.flag_dhcp, v(1, 1))
	t:add(f.vsiid_fmt, v(2, 1))
	t:add(f.vsiid, v(3, 16), vsiid_text(v(2, 1):uint(), v(3, 16)))
	t:add(f.mac, v(19, 6), hexsep(v(19, 6), ":"))
	ps_pcp_vid(t, v(25, 2))
	t:add(f.ipv4, v(27, 4))
end

function vdpext.dissector(tvb, pinfo, tree)
	local root = tree:add(vdpext, tvb())
	local off, len = 0, tvb:len()
	while off + 2 <= len do
		local hdr = tvb(off, 2):uint()
		local typ, l = bit32.rshift(hdr, 9), bit32.band(hdr, 0x1FF)
		if typ == 0 then
			root:add(f.padding, tvb(off))
			return
		end
		local whole = off + 2 + l <= len and tvb(off, 2 + l) or tvb(off)
		local name = TLV_NAMES[typ] or ("Reserved (" .. typ .. ")")
		local t = root:add(f.tlv, whole)
		t:set_text(name .. " TLV, length " .. l)
		t:add(f.type, tvb(off, 2))
		t:add(f.len, tvb(off, 2))
		if off + 2 + l > len then
			bad(t, whole, "length runs past the end of the PDU")
			return
		end
		-- vdp21 still dissects the standard TLVs, one at a time.  It
		-- throws on a VSI TLV of the fixed part alone (an error answer's
		-- echo): that must not end our own reading.
		if vdp21 and (typ <= 5 or typ == 127) then
			pcall(vdp21.call, vdp21, whole:tvb(), pinfo, tree)
		end
		if l > 0 then
			local v = tvb(off + 2, l)
			if typ >= 1 and typ <= 4 then
				vsi_tlv(t, v)
			elseif typ == 5 then
				t:add(f.mgrid, v)
			elseif typ >= 6 and typ <= 8 then
				policy_tlv(t, v)
			elseif typ == 9 then
				help_tlv(t, v)
			elseif typ == 127 and l >= 3 then
				t:add(f.oui, v(0, 3))
				t:add(f.org_data, v(3))
			end
		elseif typ ~= 127 and typ ~= 5 then
			bad(t, whole, "empty TLV")
		end
		off = off + 2 + l
	end
	pinfo.cols.protocol = "VDP"
end

ecp_subtypes:add(1, vdpext)
