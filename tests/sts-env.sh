# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) world of tests/mtasts.sh and
# tests/mtasts-session.sh, sourced inside their network and mount namespace (after
# netns_enter with dnsmasq and certtool, and tests/lib.sh): nothing leaves the machine.
# dnsmasq (127.0.0.1:53, log in $T/dnsmasq.log) serves the MX, A and TXT records of
# *.sts.test; an HTTPS server (Python's http.server with ssl, a certificate from the
# test PKI made here) serves the policies on 127.0.0.10:443 (log in $T/web.log), and
# another, with a certificate for the wrong name, on 127.0.0.11:443.
#
#   enforce.sts.test   MX mx1.mail.sts.test, mx9.other.sts.test; policy enforce,
#                      mx *.mail.sts.test; TLS-RPT to mailto:tlsrpt@enforce.sts.test
#   testing.sts.test   MX mx2.mail.sts.test (its certificate is mx1's: wrong name);
#                      policy testing; no TLS-RPT record
#   notfound.sts.test  TXT record, but the policy is not there (HTTP 404)
#   badcert.sts.test   TXT record, policy host's certificate not valid for it
#   redirect.sts.test  TXT record, the policy URL answers 301 (not followed)
#   nosts.sts.test     no TXT record: no MTA-STS
#   big.sts.test       a policy over 64 KiB; badpolicy.sts.test an HTML page;
#   twice.sts.test     two v=STSv1 records (a sender sees no policy)
#   notls.sts.test     MX mx3.mail.sts.test, no STARTTLS; policy enforce
#   slow.sts.test      MX mx1.mail.sts.test; enforce's policy, answered after 3 s
#   nullmx.sts.test    MX "." (null MX, RFC 7505)
#   plain.sts.test     no MX, an address (127.0.0.2, mx1's)
#
# The SMTP servers (aiosmtpd, port 25): mx1.mail 127.0.0.2, mx9.other 127.0.0.3 (STARTTLS,
# certificates for their names), mx2.mail 127.0.0.4 (STARTTLS with mx1's certificate),
# mx3.mail 127.0.0.5 (no STARTTLS). Sets S (sts.test), PKI, W (the policies: a file per
# policy host; NAME.redirect answers 301 to the URL in it, NAME.delay waits that many
# seconds first), and leaf().

need_aiosmtpd
netns_resolver
S=sts.test
set --
for d in enforce testing notfound badcert redirect big badpolicy twice notls slow; do
	set -- "$@" --txt-record="_mta-sts.$d.$S,v=STSv1; id=2026$d"
	[ $d = badcert ] || set -- "$@" --host-record="mta-sts.$d.$S,127.0.0.10"
	case $d in enforce|testing|notls) ;; *) set -- "$@" --mx-host="$d.$S,mx1.mail.$S,10" ;; esac
done
set -- "$@" --txt-record="_mta-sts.twice.$S,v=STSv1; id=second"
netns_dnsmasq --local=/$S/ \
	--mx-host=enforce.$S,mx1.mail.$S,10 --mx-host=enforce.$S,mx9.other.$S,20 \
	--mx-host=testing.$S,mx2.mail.$S,10 --mx-host=nosts.$S,mx1.mail.$S,10 \
	--mx-host=notls.$S,mx3.mail.$S,10 --host-record=mx3.mail.$S,127.0.0.5 --host-record=mta-sts.badcert.$S,127.0.0.11 \
	--txt-record="_smtp._tls.enforce.$S,v=TLSRPTv1; rua=mailto:tlsrpt@enforce.$S" \
	--host-record=mx1.mail.$S,127.0.0.2 --host-record=mx9.other.$S,127.0.0.3 \
	--host-record=mx2.mail.$S,127.0.0.4 \
	--mx-host=nullmx.$S,.,0 --host-record=plain.$S,127.0.0.2 \
	"$@"

# Certificates from the test PKI's intermediate: LEAF NAME DNS-NAME...
pki
leaf() {
	_l=$1
	shift
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
		--outfile "$T/$_l-key.pem" >>"$T/pki.log" 2>&1 || fail "key $_l"
	{
		echo "cn = \"$1\""
		for _d; do echo "dns_name = \"$_d\""; done
		printf '%s\n' tls_www_server signing_key encryption_key 'expiration_days = 30'
	} >"$T/$_l.tmpl"
	certtool --generate-certificate --load-privkey "$T/$_l-key.pem" \
		--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
		--template "$T/$_l.tmpl" --no-text --outfile "$T/$_l.pem" \
		>>"$T/pki.log" 2>&1 || { cat "$T/pki.log" >&2; fail "cert $_l"; }
	cat "$T/$_l.pem" "$PKI/int.pem" >"$T/$_l-chain.pem"
}
leaf mx1 mx1.mail.$S
leaf mx9 mx9.other.$S
leaf web mta-sts.enforce.$S mta-sts.testing.$S mta-sts.notfound.$S mta-sts.redirect.$S \
	mta-sts.big.$S mta-sts.badpolicy.$S mta-sts.twice.$S mta-sts.notls.$S mta-sts.slow.$S
leaf web2 mta-sts.enforce.$S

# shellcheck disable=SC2086
{
start_smtpd mx1 --host 127.0.0.2 --port 25 --hostname mx1.mail.$S \
	--starttls "$T/mx1-chain.pem" "$T/mx1-key.pem"
start_smtpd mx9 --host 127.0.0.3 --port 25 --hostname mx9.other.$S \
	--starttls "$T/mx9-chain.pem" "$T/mx9-key.pem"
# mx2 presents mx1's certificate: not valid for the name mx2.mail.sts.test.
start_smtpd mx2 --host 127.0.0.4 --port 25 --hostname mx2.mail.$S \
	--starttls "$T/mx1-chain.pem" "$T/mx1-key.pem"
start_smtpd mx3 --host 127.0.0.5 --port 25 --hostname mx3.mail.$S
}

# The policies, by the Host the request names; a .redirect file answers 301, a .delay
# file holds the seconds to wait before answering.
W=$T/www
mkdir -p "$W"
printf 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.%s\r\nmax_age: 604800\r\n' $S \
	>"$W/mta-sts.enforce.$S"
printf 'version: STSv1\nmode: testing\nmx: mx2.mail.%s\nmax_age: 86400\n' $S \
	>"$W/mta-sts.testing.$S"
echo "https://mta-sts.enforce.$S/.well-known/mta-sts.txt" >"$W/mta-sts.redirect.$S.redirect"
{
	printf 'version: STSv1\nmode: enforce\nmax_age: 86400\n'
	i=0
	while [ $i -lt 3000 ]; do
		printf 'mx: mx%d.mail.%s\n' $i $S
		i=$((i + 1))
	done
} >"$W/mta-sts.big.$S"
[ "$(wc -c <"$W/mta-sts.big.$S")" -gt 65536 ] || fail "the big policy is not big"
cp "$W/mta-sts.enforce.$S" "$W/mta-sts.notls.$S"
cp "$W/mta-sts.enforce.$S" "$W/mta-sts.slow.$S"
echo 3 >"$W/mta-sts.slow.$S.delay"
printf '<html><body>Welcome to nginx!</body></html>\n' >"$W/mta-sts.badpolicy.$S"
# A thread per request: a slow answer holds up no other. The log ($T/web.log) names
# the Host of each request.
start_policyd web 127.0.0.10 "$T/web-chain.pem" "$T/web-key.pem" "$W"
start_policyd web2 127.0.0.11 "$T/web2-chain.pem" "$T/web2-key.pem" "$W"
