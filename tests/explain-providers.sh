#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Each rule of src/explain-rules.c that reads a real server's words, live: a scripted
# server (tests/scripted.py) sends the provider's exact reply at the step of the
# dialogue where it sends it, with TLS up or not, logged in or not, STARTTLS offered
# or not, and smtpcon in line mode must print the rule's tag beside the reply, its
# cause and next step as the "?" line, and no advice that is wrong there (checking
# the password when an administrator must enable SMTP AUTH; STARTTLS once TLS is up,
# or from a server that offers none).
#
# The cases are the table below, one stanza each:
#	case NAME STEP [FLAGS]	NAME is also the EHLO name, which picks the case in
#				the server; STEP the command whose reply it is
#				(GREETING EHLO STARTTLS AUTH MAIL RCPT DATA DOT,
#				VERB#N for its N-th time)
#	S: line			the reply, line by line, as the server sends it
#	C: line			the lines after EHLO, when not the usual ones for STEP
#	pre VERB, P: line	an earlier reply of the dialogue (not checked)
#	tag, cause, next	what smtpcon must print: copied from the rule table
#	not REGEX		must not appear in the advice (case ignored)
# FLAGS: tls (STARTTLS first), authed (AUTH first, accepted), nostarttls (the server
# offers no STARTTLS), noauth (nor AUTH), authtls (AUTH only after STARTTLS).
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need certtool
_lib_python
pki

cat >"$T/cases" <<'CASES'
case ms365-smtp-auth-disabled AUTH tls
S: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag SMTP AUTH disabled for tenant/mailbox
cause Microsoft 365 has SMTP AUTH (logging in to send over SMTP) turned off for the tenant or for this mailbox; the credentials are not the problem.
next An Exchange administrator must enable it for the mailbox (Set-CASMailbox -Identity user -SmtpClientAuthenticationDisabled $false) or the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false), or the client logs in with OAuth (AUTH XOAUTH2); see https://aka.ms/smtp_auth_disabled.
not password

case ms365-smtp-auth-disabled~mailbox AUTH tls
S: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag SMTP AUTH disabled for tenant/mailbox
cause Microsoft 365 has SMTP AUTH (logging in to send over SMTP) turned off for the tenant or for this mailbox; the credentials are not the problem.
next An Exchange administrator must enable it for the mailbox (Set-CASMailbox -Identity user -SmtpClientAuthenticationDisabled $false) or the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false), or the client logs in with OAuth (AUTH XOAUTH2); see https://aka.ms/smtp_auth_disabled.
not password

# Microsoft 365 repeats the AUTH refusal when MAIL FROM follows it.
case ms365-smtp-auth-disabled~mail MAIL tls
S: 530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag SMTP AUTH disabled for tenant/mailbox
cause Microsoft 365 has SMTP AUTH (logging in to send over SMTP) turned off for the tenant or for this mailbox; the credentials are not the problem.
next An Exchange administrator must enable it for the mailbox (Set-CASMailbox -Identity user -SmtpClientAuthenticationDisabled $false) or the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false), or the client logs in with OAuth (AUTH XOAUTH2); see https://aka.ms/smtp_auth_disabled.
not password

case ms365-basic-auth-disabled AUTH tls
S: 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag basic auth disabled: use OAuth
cause Microsoft 365 no longer accepts logins with a user name and password (basic authentication) for this account or tenant.
next Log in with OAuth (AUTH XOAUTH2); only an administrator can allow basic authentication again, where Microsoft still permits it.
not check both|wrong user|check the user name

case ms365-security-defaults AUTH tls
S: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag blocked by security defaults (MFA)
cause The tenant's security defaults require multi-factor sign-in, which blocks SMTP logins with a password.
next An administrator turns security defaults off or exempts this account with Conditional Access, or the client logs in with OAuth (AUTH XOAUTH2).
not check both|wrong user

case ms365-conditional-access AUTH tls
S: 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag blocked by Conditional Access
cause A Conditional Access policy of the tenant (location, device or MFA requirement) refused this login.
next An administrator looks up this user's sign-in log in Entra ID to see which policy blocked it and adjusts it, or the client uses OAuth (AUTH XOAUTH2).
not check both|wrong user|password

case ms365-bad-credentials AUTH tls
S: 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag auth failed: wrong user or password
cause Microsoft 365 rejected the user name or password.
next Check both: the user name is the full address (UPN). If the account uses MFA, its own password cannot work here: use OAuth (AUTH XOAUTH2), or an app password where the tenant allows them.
not smtp auth.*(disabled|enable)

# 5.7.139 with no reason after it: the rule for the code alone.
case ms365-5.7.139 AUTH tls
S: 535 5.7.139 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag Microsoft 365 refused the login
cause Microsoft 365 refused the login, and the rest of its reply says why: most often SMTP AUTH is disabled for the tenant or mailbox, else a security policy blocked it or the credentials were wrong.
next Read the text after "Authentication unsuccessful": "SmtpClientAuthentication is disabled" needs an administrator to enable SMTP AUTH (or OAuth); only "credentials were incorrect" means checking the user name and password.

case ms365-not-authenticated MAIL tls
S: 530 5.7.57 Client not authenticated to send mail during MAIL FROM [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag not logged in: AUTH first
cause Microsoft 365 takes mail on this port only from logged-in users, and this session has not logged in.
next Log in with AUTH LOGIN or AUTH XOAUTH2, then send MAIL FROM again.

case ms365-not-authenticated~nostarttls MAIL nostarttls
S: 530 5.7.57 Client not authenticated to send mail during MAIL FROM [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag not logged in: AUTH first
cause Microsoft 365 takes mail on this port only from logged-in users, and this session has not logged in.
next Log in with AUTH LOGIN or AUTH XOAUTH2, then send MAIL FROM again.

case ms365-not-authenticated-plain MAIL
S: 530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag not logged in: AUTH first
cause Microsoft 365 takes mail on this port only from logged-in users, and this session has not logged in.
next If TLS is not up yet, send STARTTLS and EHLO again first (Microsoft refuses AUTH before TLS); then AUTH LOGIN or AUTH XOAUTH2, then MAIL FROM again.

case ms365-send-as-denied DOT tls authed
S: 554 5.2.252 SendAsDenied; alice@example.com not allowed to send as other@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag not allowed to send as this sender
cause You logged in as one mailbox, but MAIL FROM or the From: header names another, and your account has no Send As right on it.
next Send from your own address, or have an administrator grant Send As (or Send on Behalf) on that mailbox; it can take an hour to apply.

case ms365-banned-ip RCPT
S: 550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]
tag IP banned by Microsoft 365
cause Microsoft 365 has put the sending IP address on its own block list.
next The sender's side must act: the owner of the IP asks for removal at https://sender.office.com after fixing the cause; or send through a provider whose IP is not listed.

case ms365-server-busy RCPT
S: 451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]
tag throttled: server busy, try later
cause Microsoft is throttling mail from this IP address for now (a new or low-reputation sender, or a burst of mail).
next Retry later and slower; a mail server retries by itself. Nothing to change in the session.

case ms365-restricted-sender MAIL tls authed
S: 550 5.1.8 Access denied, bad outbound sender. AS(42004) [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag account blocked from sending
cause Microsoft 365 has blocked this account from sending, usually because it sent spam (often after its password was stolen).
next An administrator secures the account (new password, no strange forwarding rules) and releases it under Restricted entities in the Microsoft Defender portal.

case ms365-restricted-sender~spam DOT tls authed
S: 554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]WASCL UserAction verdict is not None. Actual verdict is Suspend, ShowTierUpgrade. OutboundSpamException: WASCL UserAction verdict is not None. Actual verdict is Suspend, ShowTierUpgrade.[EndDiagnosticData] [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag account blocked from sending
cause Microsoft 365 has blocked this account from sending, usually because it sent spam (often after its password was stolen).
next An administrator secures the account (new password, no strange forwarding rules) and releases it under Restricted entities in the Microsoft Defender portal.

# Microsoft sends it on a TLS 1.0 or 1.1 session, which python will not set up
# here; the rule reads only the words.
case ms365-tls-version MAIL tls
S: 421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag TLS version too old (1.2 needed)
cause The TLS session uses version 1.0 or 1.1, which Microsoft 365 no longer accepts.
next Reconnect with TLS 1.2 or newer: check the lowest TLS version your TLS library and its settings allow.

case ms365-recipient-not-found RCPT
S: 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag recipient unknown to Microsoft 365
cause The recipient's Microsoft 365 organization has no such address (directory-based edge blocking refuses unknown recipients).
next Check the address; if it should exist, the recipient's administrator must add it to their directory.

case ms365-recipientnotfound RCPT tls authed
S: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
tag no such mailbox (Microsoft 365)
cause The recipient's Microsoft 365 organization has no mailbox at this address.
next Check the address for typos; if it is right, the recipient's side must fix it.

case exchange-not-authenticated MAIL
S: 530 5.7.1 Client was not authenticated
tag not logged in: AUTH first
cause Exchange's receive connector takes mail only from logged-in users (anonymous senders are not permitted on it).
next Log in with AUTH, then MAIL FROM again. A mail server delivering to this organization needs its administrator to allow anonymous users on the connector, or must use its MX on port 25.

case exchange-send-as MAIL tls authed
S: 550 5.7.60 SMTP; Client does not have permissions to send as this sender
tag not allowed to send as this sender
cause Exchange refuses MAIL FROM because your login has no Send As right on that address.
next Send from the address you logged in as, or have the Exchange administrator grant Send As on that mailbox.

case exchange-5.7.3 AUTH tls
S: 535 5.7.3 Authentication unsuccessful
tag Exchange: login refused
cause Exchange uses 5.7.3 for any failed login (not RFC 3463's "security conversion"): a wrong user name or password, a locked or disabled account, or a login method the connector does not allow.
next Check the user name (DOMAIN\user, or the full address) and the password; if they are right, the Exchange administrator checks that the receive connector allows basic authentication over TLS.

case exchange-unable-to-relay RCPT
S: 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain
tag relay denied: domain not accepted
cause The recipient's domain is not one this Exchange organization accepts, and it relays to other domains only for allowed senders.
next A user logs in with AUTH (on the submission port 587) first; an application or device needs the Exchange administrator to allow its IP on a relay connector. To deliver, use the recipient domain's MX.

case exchange-prx RCPT
S: 451 4.7.0 Temporary server error. Please try again later. PRX4
tag Exchange: temporary server error
cause Exchange's front end could not hand the session on to a mailbox server (PRX names the proxy step); the problem is on the server's side.
next Try again later; if it lasts, the Exchange administrator checks the server's DNS settings and transport services.

case outlook-block-list MAIL
S: 550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM7EUR03FT012.eop-EUR03.prod.protection.outlook.com]
tag IP range on Outlook.com's block list
cause Outlook.com blocks the network your IP address belongs to (the S number names its list).
next Send through your provider's submission server (port 587 with AUTH); a server's owner can ask for delisting with Outlook.com's sender support form.

case gmail-bad-credentials AUTH tls
S: 535-5.7.8 Username and Password not accepted. For more information, go to
S: 535 5.7.8  https://support.google.com/mail/?p=BadCredentials a640c23a62f3a-a59c2f1c3d4sm1234567wmq.1 - gsmtp
tag Gmail: user name/password refused
cause Google refused the user name or password; with 2-Step Verification on, Google never accepts the account's own password over SMTP.
next Log in with the full address and an app password (Google Account > Security > App passwords), or with OAuth (AUTH XOAUTH2).

case gmail-app-password AUTH tls
S: 534-5.7.9 Application-specific password required. Learn more at
S: 534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a640c23a62f3a-a59c2f1c3d4sm1234567wmq.1 - gsmtp
tag app password required
cause The account has 2-Step Verification on, so Google will not take its normal password over SMTP.
next Create an app password in the Google Account (Security > App passwords) and log in with it, or use OAuth (AUTH XOAUTH2).

case gmail-web-login AUTH tls
S: 534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbtX> Please log in via your web browser and
S: 534-5.7.14 then try again.
S: 534-5.7.14  Learn more at
S: 534 5.7.14  https://support.google.com/mail/answer/78754 a640c23a62f3a-a59c2f1c3d4sm1234567wmq.1 - gsmtp
tag Google: sign in via browser first
cause Google blocked the login as unusual (a new place or program) until you confirm it was you.
next Sign in at accounts.google.com in a browser, confirm the security alert, then retry; an app password or OAuth (XOAUTH2) avoids this.

case too-many-logins AUTH tls
S: 454-4.7.0 Too many login attempts, please try again later. For more information,
S: 454-4.7.0 go to
S: 454 4.7.0  https://support.google.com/mail/answer/7126229 a640c23a62f3a-a59c2f1c3d4sm1234567wmq.1 - gsmtp
tag too many login attempts
cause After repeated failed logins the server refuses more for a while.
next Wait (minutes to an hour), and get the user name and password right before trying again.

case auth-required MAIL tls
S: 530-5.7.0 Authentication Required. For more information, go to
S: 530 5.7.0  https://support.google.com/mail/?p=WantAuthError a640c23a62f3a-a59c2f1c3d4sm1234567wmq.1 - gsmtp
tag login required (AUTH first)
cause The server takes mail only from logged-in users, and this session has not logged in.
next Log in with AUTH (a mechanism listed in the EHLO reply), then send MAIL FROM again.

case auth-required-plain MAIL
S: 530 5.7.0 Authentication required
tag login required (AUTH first)
cause The server takes mail only from logged-in users, and this session has not logged in.
next If TLS is not up yet, send STARTTLS and EHLO again first (most servers take AUTH only over TLS); then AUTH, then MAIL FROM again.

case auth-required-no-starttls MAIL nostarttls
S: 530 5.7.0 Authentication required
tag login required (AUTH first)
cause The server takes mail only from logged-in users, and this session has not logged in.
next Log in with AUTH, then MAIL FROM again. The server offers no way to encrypt this session, so the password would cross the network readable: prefer implicit TLS (--tls, port 465).

case auth-required-authed MAIL tls authed
S: 530 5.7.0 Authentication required
tag login required, though logged in
cause The server asks for a login although this session has logged in: the login may not cover this sender, or the server lost it.
next Check that MAIL FROM is the address you logged in as; if it is, QUIT, reconnect and log in again.
not log in with auth

case gmail-unusual-rate DOT
S: 421-4.7.0 [192.0.2.1      15] Our system has detected an unusual rate of
S: 421-4.7.0 unsolicited mail originating from your IP address. To protect our
S: 421-4.7.0 users from spam, mail sent from your IP address has been temporarily
S: 421-4.7.0 rate limited. Please visit
S: 421-4.7.0  https://support.google.com/mail/?p=UnsolicitedRateLimitError to
S: 421 4.7.0 review our Bulk Email Senders Guidelines. d2si1234567wmq.1 - gsmtp
tag rate limited: unusual rate of mail
cause Gmail sees too much unwanted mail from this IP address and slows it down for now.
next The sender's side must act: retry later and slower, and check that the server is not an open relay or sending for a stolen account, with SPF, DKIM and reverse DNS in order.

case gmail-receiving-rate RCPT
S: 452-4.2.1 The user you are trying to contact is receiving mail at a rate that
S: 452-4.2.1 prevents additional messages from being delivered. Please resend your
S: 452-4.2.1 message at a later point. If the user is able to receive mail at that
S: 452-4.2.1 time, your message will be delivered. For more information, go to
S: 452 4.2.1  https://support.google.com/mail/?p=ReceivingRate d2si1234567wmq.1 - gsmtp
tag recipient gets too much mail: later
cause The recipient is receiving mail faster than Gmail allows; this is not about you.
next Try again later; a mail server retries by itself.

case gmail-daily-limit MAIL tls authed
S: 550-5.4.5 Daily user sending limit exceeded. For more information on Gmail
S: 550-5.4.5 sending limits go to
S: 550 5.4.5  https://support.google.com/a/answer/166852 d2si1234567wmq.1 - gsmtp
tag daily sending limit reached
cause The account has sent its daily maximum (about 500 messages for Gmail, 2,000 for Google Workspace).
next Wait up to 24 hours; bulk mail belongs with a sending service, not a mailbox account.

# Not the recipient's full mailbox: "quota exceeded" is Gmail's sending quota.
case gmail-daily-limit~quota MAIL tls authed
S: 550 5.4.5 Daily sending quota exceeded. d2si1234567wmq.1 - gsmtp
tag daily sending limit reached
cause The account has sent its daily maximum (about 500 messages for Gmail, 2,000 for Google Workspace).
next Wait up to 24 hours; bulk mail belongs with a sending service, not a mailbox account.
not make room|no room

case gmail-unauthenticated DOT
S: 550-5.7.26 This mail has been blocked because the sender is unauthenticated.
S: 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.
S: 550-5.7.26
S: 550-5.7.26  Authentication results:
S: 550-5.7.26  DKIM = did not pass
S: 550-5.7.26  SPF [example.com] with ip: [192.0.2.1] = did not pass
S: 550-5.7.26
S: 550-5.7.26  For instructions on setting up authentication, go to
S: 550 5.7.26  https://support.google.com/mail/answer/81126#authentication d2si1234567wmq.1 - gsmtp
tag SPF/DKIM checks failed
cause The receiving server found no passing SPF or DKIM for the sender's domain.
next The sender's domain must fix it: publish SPF that includes the sending server and sign with DKIM; or send through the domain's own mail server with AUTH.

case gmail-unauthenticated~2019 DOT
S: 550-5.7.26 This message does not have authentication information or fails to
S: 550-5.7.26 pass authentication checks. To best protect our users from spam, the
S: 550-5.7.26 message has been blocked. Please visit
S: 550-5.7.26  https://support.google.com/mail/answer/81126#authentication for more
S: 550 5.7.26 information. d2si1234567wmq.1 - gsmtp
tag SPF/DKIM checks failed
cause The receiving server found no passing SPF or DKIM for the sender's domain.
next The sender's domain must fix it: publish SPF that includes the sending server and sign with DKIM; or send through the domain's own mail server with AUTH.

case dmarc-reject DOT
S: 550-5.7.26 Unauthenticated email from example.com is not accepted due to
S: 550-5.7.26 domain's DMARC policy. Please contact the administrator of
S: 550-5.7.26 example.com domain if this was a legitimate mail. To learn
S: 550-5.7.26 about the DMARC initiative, go to
S: 550 5.7.26  https://support.google.com/mail/?p=DmarcRejection d2si1234567wmq.1 - gsmtp
tag rejected by sender domain's DMARC
cause The From: domain publishes a DMARC policy asking receivers to refuse mail it did not authenticate, and this message passed neither SPF nor DKIM aligned with it.
next Send through the mail server of the From: domain (with AUTH), or use a From: address in a domain you may send for; its administrator can align SPF and DKIM.

case gmail-no-such-account RCPT
S: 550-5.1.1 The email account that you tried to reach does not exist. Please try
S: 550-5.1.1 double-checking the recipient's email address for typos or
S: 550-5.1.1 unnecessary spaces. For more information, go to
S: 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser d2si1234567wmq.1 - gsmtp
tag no such Gmail account
cause Google has no account at this address.
next Check the address for typos and stray spaces; if it is right, the recipient's side must fix it.

case mailbox-disabled RCPT
S: 550-5.2.1 The email account that you tried to reach is disabled. Learn more at
S: 550 5.2.1  https://support.google.com/mail/?p=DisabledUser d2si1234567wmq.1 - gsmtp
tag recipient's mailbox is disabled
cause The recipient's mailbox exists but is disabled and takes no mail.
next Reach them another way; only the recipient's side can fix it.

case mailbox-disabled~yahoo DOT
S: 554 delivery error: dd This account has been disabled or discontinued [#102]. - mta4012.mail.bf1.yahoo.com
tag recipient's mailbox is disabled
cause The recipient's mailbox exists but is disabled and takes no mail.
next Reach them another way; only the recipient's side can fix it.

case mailbox-full RCPT
S: 452-4.2.2 The email account that you tried to reach is over quota. Please direct
S: 452-4.2.2 the recipient to
S: 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp d2si1234567wmq.1 - gsmtp
tag recipient's mailbox is full
cause The recipient's mailbox has no room left.
next Nothing to fix on your side: try again later or reach them another way; they must make room.

case mailbox-full~dovecot DOT
S: 552 5.2.2 <bob@example.net> Quota exceeded (mailbox for user is full)
tag recipient's mailbox is full
cause The recipient's mailbox has no room left.
next Nothing to fix on your side: try again later or reach them another way; they must make room.

case gmail-size DOT
S: 552-5.2.3 Your message exceeded Google's message size limits. Please visit
S: 552-5.2.3  https://support.google.com/mail/?p=MaxSizeError to view our size
S: 552 5.2.3 guidelines. d2si1234567wmq.1 - gsmtp
tag too big for Gmail (25 MB limit)
cause The message is bigger than Gmail accepts: 25 MB, and attachments grow by a third when encoded.
next Send less: shrink or leave out attachments, or share large files by link.

case gmail-no-ptr DOT
S: 550-5.7.25 [192.0.2.1] The IP address sending this message does not have a
S: 550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not
S: 550-5.7.25 point to the sending IP. As a policy, Gmail does not accept messages
S: 550-5.7.25 from IPs with missing PTR records. Please visit
S: 550-5.7.25  https://support.google.com/mail/answer/81126#ip-practices for more
S: 550 5.7.25 information. d2si1234567wmq.1 - gsmtp
tag no reverse DNS (PTR) for your IP
cause The sending IP address has no reverse DNS name (PTR), or its name does not point back to the address.
next Whoever runs the sending IP (your ISP or host) sets a PTR whose name resolves back to it; from a home line, send through your provider's submission server (port 587 with AUTH).

# Sent over IPv6; the rule reads only the words, so loopback IPv4 does.
case gmail-ipv6 DOT
S: 550-5.7.1 [2001:db8::1] Our system has detected that this message does not meet
S: 550-5.7.1 IPv6 sending guidelines regarding PTR records and authentication.
S: 550-5.7.1 Please review
S: 550-5.7.1  https://support.google.com/mail/?p=IPv6AuthError for more
S: 550 5.7.1 information. d2si1234567wmq.1 - gsmtp
tag fails Gmail's IPv6 sender rules
cause Over IPv6 Gmail requires a PTR record for the sending address and passing SPF or DKIM.
next Set the PTR for the IPv6 address and fix SPF or DKIM, or send over IPv4 (connect to the server's IPv4 address).

case gmail-spam DOT
S: 550-5.7.1 [192.0.2.1      12] Our system has detected that this message is
S: 550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,
S: 550-5.7.1 this message has been blocked. Please visit
S: 550-5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError
S: 550 5.7.1  for more information. d2si1234567wmq.1 - gsmtp
tag rejected as spam
cause Gmail's filters judged this message to be spam (its content, links, or the sender's reputation).
next Change the content and check the sender domain's SPF, DKIM and DMARC; sending the same message again will not help.

case gmail-security-issue DOT
S: 552-5.7.0 This message was blocked because its content presents a potential
S: 552-5.7.0 security issue. Please visit
S: 552-5.7.0  https://support.google.com/mail/?p=BlockedMessage to review our
S: 552 5.7.0 message content and attachment content guidelines. d2si1234567wmq.1 - gsmtp
tag blocked: risky attachment or content
cause Gmail blocked the message for its content, usually an executable attachment, also inside an archive.
next Send it without that attachment and share the file by link instead.

case gmail-policy DOT
S: 550-5.7.1 The user or domain that you are sending to (or from) has a policy that
S: 550-5.7.1 prohibited the mail that you sent. Please contact your domain
S: 550-5.7.1 administrator for further details. For more information, please visit
S: 550 5.7.1  https://support.google.com/a/answer/172179 d2si1234567wmq.1 - gsmtp
tag blocked by a Workspace policy
cause A Google Workspace administrator (the recipient's, or the sender's) set a rule that refuses this message.
next Ask that administrator; nothing in this session can change it.

case gworkspace-relay MAIL tls
S: 550-5.7.1 Invalid credentials for relay [192.0.2.1]. The IP address you've
S: 550-5.7.1 registered in your G Suite SMTP Relay service doesn't match domain of
S: 550-5.7.1 the account this email is being sent from. If you are trying to relay
S: 550-5.7.1 mail from a domain that isn't registered under your G Suite account
S: 550-5.7.1 or has empty envelope-from, you must configure your mail server
S: 550-5.7.1 either to use SMTP AUTH to identify the sending domain or to present
S: 550-5.7.1 one of your domain names in the HELO or EHLO command. For more
S: 550-5.7.1 information, please visit
S: 550 5.7.1  https://support.google.com/a/answer/6140680#invalidcred d2si1234567wmq.1 - gsmtp
tag Workspace relay: IP not allowed
cause Google Workspace's SMTP relay service does not know the sending IP address for the sender's domain.
next The Workspace administrator adds this IP under Gmail > Routing > SMTP relay service, or makes the relay require SMTP AUTH and you log in.

case spamhaus-pbl MAIL
S: 553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes
tag IP on Spamhaus PBL (end-user range)
cause The sending IP is in a range its owner lists as not meant to send mail directly (home or dynamic addresses: the Spamhaus PBL).
next Send through your provider's submission server (port 587 with AUTH) instead of delivering directly; only a server with a fixed IP and reverse DNS should ask to leave the PBL.

case yahoo-deferred MAIL
S: 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes
tag deferred: volume or complaints
cause Yahoo is slowing mail from this IP because of its volume or recipients' spam complaints.
next Retry later and slower; the sending side should cut complaints (consent, unsubscribe links) and join Yahoo's complaint feedback loop.

case yahoo-policy DOT
S: 554 5.7.9 Message not accepted for policy reasons.  See https://help.yahoo.com/kb/postmaster/SLN7253.html
tag refused for policy (not the login)
cause Yahoo refused the message for its content or the sender's reputation; its 5.7.9 here is not about the AUTH mechanism.
next The sender's side checks SPF, DKIM and DMARC and the content; sending the same message again will not help. The link in the reply says more.
not app password|oauth|xoauth2

case yahoo-no-such-account DOT
S: 554 delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0] - mta4012.mail.bf1.yahoo.com
tag no such Yahoo account
cause Yahoo has no account at this address.
next Check the address for typos; if it is right, the recipient's side must fix it.

case icloud-policy DOT
S: 554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137
tag iCloud: rejected by policy
cause iCloud's filters rejected the message: its content, or the sender's reputation or authentication.
next The sender's side fixes SPF, DKIM and DMARC and the content; Apple's page HT204137 explains the codes.

case icloud-policy~hm08 DOT
S: 550 5.7.1 [HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137
tag iCloud: rejected by policy
cause iCloud's filters rejected the message: its content, or the sender's reputation or authentication.
next The sender's side fixes SPF, DKIM and DMARC and the content; Apple's page HT204137 explains the codes.

case relay-denied RCPT tls
S: 554 5.7.1 <bob@example.net>: Relay access denied
tag relay denied: log in first
cause The server takes mail for other domains only from its logged-in users, and this session has not logged in.
next Log in with AUTH, then MAIL FROM and RCPT TO again; or send to the recipient domain's own mail server (its MX) instead.

case relay-denied~exim RCPT nostarttls
S: 550 relay not permitted
tag relay denied: log in first
cause The server takes mail for other domains only from its logged-in users, and this session has not logged in.
next Log in with AUTH, then MAIL FROM and RCPT TO again; or send to the recipient domain's own mail server (its MX) instead.

case relay-denied-plain RCPT
S: 550-Please turn on SMTP Authentication in your mail client.
S: 550-mx.example.net (helo) [192.0.2.1]:50312 is not permitted to relay through
S: 550 this server without authentication.
tag relay denied: log in first
cause The server takes mail for other domains only from its logged-in users, and this session has not logged in.
next If TLS is not up yet, send STARTTLS and EHLO again first; then AUTH, then MAIL FROM and RCPT TO again. Or send to the recipient domain's own mail server (its MX) instead.

case relay-denied-authed RCPT tls authed
S: 554 5.7.1 <bob@example.net>: Relay access denied
tag relay denied despite login
cause You are logged in, but the server still will not relay to this recipient for you.
next Check that this is your provider's submission server (port 587 or 465), not the recipient's MX, and that MAIL FROM is an address your login may use; else its administrator must let logged-in users relay.
not log in with auth

case user-unknown RCPT
S: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table
tag no such mailbox (user unknown)
cause The recipient's server has no mailbox at this address.
next Check the address for typos before and after the @; if it is right, the recipient's side must fix it.

case unrouteable RCPT
S: 550 Unrouteable address
tag unrouteable address
cause The server found no way to deliver to the recipient's domain (no MX or address record, or a routing rule of its own).
next Check the domain after the @ for typos; if it is right, the recipient domain's DNS (its MX records) is at fault.

# Postfix checks the sender at RCPT TO (smtpd_delay_reject).
case sender-domain-not-found RCPT
S: 553 5.1.8 <alice@example.com>: Sender address rejected: Domain not found
tag sender's domain does not exist
cause The domain of your MAIL FROM address has no DNS records the server can find, so no reply could ever reach it.
next Use a MAIL FROM address in a real domain (check the spelling after the @).

case recipient-domain-not-found RCPT
S: 450 4.1.2 <bob@example.net>: Recipient address rejected: Domain not found
tag recipient's domain does not exist
cause The domain of the recipient address has no DNS records the server can find.
next Check the spelling after the @; a 4xx may be a passing DNS failure, so retry later if it is right.

case greylisted RCPT
S: 450 4.2.0 <bob@example.net>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html
tag greylisted: retry in a few minutes
cause The server turns away mail from senders it has not seen before until they retry (greylisting); nothing is wrong.
next Send the same message again after a few minutes (usually 1 to 15); a real mail server retries by itself.

case tls-required MAIL
S: 530 5.7.0 Must issue a STARTTLS command first
tag TLS required first
cause The server wants an encrypted (TLS) session before it takes this command.
next Send STARTTLS (or reconnect with --starttls), then EHLO again, then repeat the command (AUTH, MAIL FROM, ...).

# Exchange Online: a 5.x.x code on a 451, so only the words count.
case tls-required~ms365 MAIL
S: 451 5.7.3 STARTTLS is required to send mail [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-05-06T10:00:00.000Z 08DC6A1B2C3D4E5F]
tag TLS required first
cause The server wants an encrypted (TLS) session before it takes this command.
next Send STARTTLS (or reconnect with --starttls), then EHLO again, then repeat the command (AUTH, MAIL FROM, ...).

case tls-required-no-starttls MAIL nostarttls
S: 530 5.7.0 Must issue a STARTTLS command first
tag TLS required, but no STARTTLS offered
cause The server wants an encrypted (TLS) session before it takes this command, but its EHLO reply did not offer STARTTLS.
next Reconnect with implicit TLS (--tls, usually port 465); if STARTTLS should be offered, something on the path may be stripping it.

case tls-required-tls-up MAIL tls
S: 530 5.7.0 Must issue a STARTTLS command first
tag TLS required, though TLS is up
cause The server asks for TLS although this session has it: it missed the handshake (a proxy in between?) or wants a newer TLS version.
next Send EHLO again and repeat the command; if it persists, reconnect with implicit TLS (--tls, port 465) or tell the server's administrator.

# tls-already-active: not live. smtpcon itself refuses a second STARTTLS once TLS is
# up ("TLS is already up on this connection: STARTTLS not sent"), so the server never
# gets to say "554 5.5.1 Error: TLS already active"; tests/unit-explain.c covers it.

case tls-broken-on-server STARTTLS
S: 454 4.7.0 TLS not available due to local problem
tag server's TLS setup is broken
cause The server's own TLS setup is broken (a missing or unreadable certificate or key); the problem is on the server's side.
next Its administrator must fix it; meanwhile try implicit TLS on port 465 (--tls) or another server, and do not log in without TLS.

# Postfix with smtpd_tls_auth_only: AUTH is offered after STARTTLS only.
case auth-not-enabled-plain AUTH authtls
S: 503 5.5.1 Error: authentication not enabled
tag AUTH only after TLS
cause The server offers AUTH only over TLS, and this session may not be encrypted yet.
next Send STARTTLS, then EHLO again, then AUTH.

case auth-not-enabled-no-starttls AUTH nostarttls noauth
S: 503 5.5.1 Error: authentication not enabled
tag no AUTH here (and no TLS)
cause The server takes no logins on this unencrypted session and offers no STARTTLS to encrypt it.
next Reconnect to a submission port: 465 with --tls, or 587.

case auth-not-enabled-tls-up AUTH tls noauth
S: 503 5.5.1 Error: authentication not enabled
tag no AUTH on this port
cause The server does not take logins here, even over TLS.
next Use a submission port (587, or 465 with --tls); port 25 often takes no logins.

case already-authenticated AUTH#2 tls authed
S: 503 5.5.1 Error: already authenticated
tag already logged in
cause This session has already logged in; AUTH works once per session.
next Carry on with MAIL FROM; to log in as someone else, QUIT and reconnect.

case need-mail RCPT
C: RCPT TO:<bob@example.net>
S: 503 5.5.1 Error: need MAIL command
tag MAIL FROM first
cause RCPT TO or DATA came before a sender was given.
next Send MAIL FROM:<you@example.org> first, then RCPT TO, then DATA.

case need-rcpt DATA
C: MAIL FROM:<alice@example.com>
C: DATA
S: 503 5.5.1 Error: need RCPT command
tag RCPT TO first
cause DATA came before any recipient was accepted.
next Send RCPT TO:<them@example.org>, check that it gets 250, then DATA.

case no-valid-recipients DATA
pre RCPT
P: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table
S: 554 5.5.1 Error: no valid recipients
tag no valid recipients
cause DATA was refused because every RCPT TO of this transaction was refused.
next Read the RCPT replies above, fix the addresses, and send RCPT TO again before DATA.

# Postfix checks the HELO name at RCPT TO (smtpd_delay_reject)...
case helo-rejected RCPT
S: 504 5.5.2 <helo-rejected>: Helo command rejected: need fully-qualified hostname
tag HELO/EHLO name refused
cause The server refuses the name given in EHLO or HELO: not a full host name, or one that does not exist.
next Send EHLO with a full host name that resolves (EHLO mail.example.org) or an address literal (EHLO [192.0.2.1]), then go on.

# ... or at EHLO with smtpd_delay_reject = no.
case helo-rejected~ehlo EHLO
S: 504 5.5.2 <helo-rejected~ehlo>: Helo command rejected: need fully-qualified hostname
tag HELO/EHLO name refused
cause The server refuses the name given in EHLO or HELO: not a full host name, or one that does not exist.
next Send EHLO with a full host name that resolves (EHLO mail.example.org) or an address literal (EHLO [192.0.2.1]), then go on.

case no-reverse-hostname RCPT
S: 450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]
tag no reverse DNS for your IP
cause The server looked up the name of your IP address (reverse DNS) and found none, or one that does not lead back to the address.
next Whoever runs the IP (your ISP or host) fixes its PTR record; from a home line, send through your provider's submission server (port 587 with AUTH) instead.

case no-reverse-hostname~reverse RCPT
S: 550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]
tag no reverse DNS for your IP
cause The server looked up the name of your IP address (reverse DNS) and found none, or one that does not lead back to the address.
next Whoever runs the IP (your ISP or host) fixes its PTR record; from a home line, send through your provider's submission server (port 587 with AUTH) instead.

case sender-login-mismatch RCPT tls authed
C: MAIL FROM:<other@example.com>
C: RCPT TO:<bob@example.net>
S: 553 5.7.1 <other@example.com>: Sender address rejected: not owned by user alice@example.com
tag sender not owned by your login
cause MAIL FROM names an address that your login does not own.
next Use MAIL FROM with your own address (the one you logged in as), or ask the administrator to allow this address for your login.

# Exim's last line alone, without the lines that say whose address failed.
case sender-verify-failed RCPT
S: 550 Sender verify failed
tag sender address could not be verified
cause The server checked whether the sender address takes mail (asking its mail server) and could not confirm it.
next Use a real sender address that accepts mail, not a made-up one; its domain's mail server must answer such checks.
not recipient

# Postfix verifying the sender quotes the sender's server: its words are
# about the sender's address, not this session's recipient.
case sender-verify-postfix RCPT
S: 550 5.1.7 <alice@example.com>: Sender address rejected: undeliverable address: host mx.example.com[192.0.2.2] said: 550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)
tag sender address could not be verified
cause The server checked whether the sender address takes mail (asking its mail server) and could not confirm it.
next Use a real sender address that accepts mail, not a made-up one; its domain's mail server must answer such checks.
not recipient

case sender-verify-postfix~greylisted RCPT
S: 450 4.1.7 <alice@example.com>: Sender address rejected: unverified address: host mx.example.com[192.0.2.2] said: 450 4.2.0 <alice@example.com>: Recipient address rejected: Greylisted (in reply to RCPT TO command)
tag sender address could not be verified
cause The server checked whether the sender address takes mail (asking its mail server) and could not confirm it.
next Use a real sender address that accepts mail, not a made-up one; its domain's mail server must answer such checks.
not recipient|greylist

case sender-verify-postfix~timeout RCPT
S: 450 4.1.7 <alice@example.com>: Sender address rejected: unverified address: connect to mx.example.com[192.0.2.2]:25: Connection timed out
tag sender address could not be verified
cause The server checked whether the sender address takes mail (asking its mail server) and could not confirm it.
next Use a real sender address that accepts mail, not a made-up one; its domain's mail server must answer such checks.
not recipient

case sender-verify-exim RCPT
S: 550-Verification failed for <alice@example.com>
S: 550-Unrouteable address
S: 550 Sender verify failed
tag sender address could not be verified
cause The server checked whether the sender address takes mail (asking its mail server) and could not confirm it.
next Use a real sender address that accepts mail, not a made-up one; its domain's mail server must answer such checks.
not recipient

case sendgrid-sender-identity DOT tls authed
S: 550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements
tag sender is not a verified identity
cause The sending service takes only From: addresses or domains verified in the account (SendGrid's Sender Identity).
next Verify the address, or authenticate the domain, in the service's settings, or send from an address already verified.

case blocklisted RCPT
S: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1
tag your IP is on a blocklist
cause The connecting IP address is on a DNS blocklist the server checks (the reply names the list).
next The sender's side fixes it: look the IP up on the named list (Spamhaus: check.spamhaus.org), remove the cause and follow its delisting steps; or send through your provider's submission server (port 587 with AUTH).

case blocklisted~greeting GREETING
S: 554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.1
tag your IP is on a blocklist
cause The connecting IP address is on a DNS blocklist the server checks (the reply names the list).
next The sender's side fixes it: look the IP up on the named list (Spamhaus: check.spamhaus.org), remove the cause and follow its delisting steps; or send through your provider's submission server (port 587 with AUTH).

case exim-auth-failed AUTH tls
S: 535 Incorrect authentication data
tag auth failed: bad credentials
cause The server rejected the user name or password.
next Check both; on cPanel hosts the user name is the full address. Many failures in a row can get your IP blocked for a while.

case auth-failed AUTH tls
S: 535 5.7.8 Error: authentication failed: authentication failure
tag auth failed: bad credentials
cause The server's login service rejected the user name or password, or could not read the AUTH answer.
next Check both (many servers want the full address as user name); for AUTH PLAIN the answer is base64 of \0user\0password.

case temporary-local-problem DOT
S: 451 Temporary local problem - please try later
tag server problem: try later
cause The server hit a problem of its own (disk, database or a filter); nothing is wrong on your side.
next Try again later; if it lasts, the server's administrator must look at its logs.

case too-many-connections GREETING
S: 421 mx.example.net Too many concurrent SMTP connections from this IP address; please try again later.
tag too many connections from your IP
cause The server limits how many sessions one IP address may have at once, and yours has reached it.
next Close other sessions from this address (other mail programs, stuck scripts) and try again in a minute.

case too-many-recipients RCPT
S: 452 4.5.3 Error: too many recipients
tag too many recipients
cause The server takes only so many recipients in one message.
next Send DATA for the recipients accepted so far, then the rest in a new MAIL FROM transaction.

case size-limit DOT
S: 552 5.3.4 Message size exceeds fixed limit
tag message too big for the server
cause The message is bigger than the server accepts.
next See the SIZE limit in the EHLO reply and send a smaller message (attachments grow by a third in base64).

case spf-fail RCPT
S: 550 5.7.1 <bob@example.net>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=alice@example.com;ip=192.0.2.1;r=<UNKNOWN>
tag SPF check failed
cause The sender domain's SPF record does not list the IP address this mail comes from.
next Send through a server the domain's SPF allows (its own, port 587 with AUTH), or its administrator adds this server to the SPF record.

case spam-content DOT
S: 550 5.7.1 Message rejected as spam by Content Filtering.
tag rejected as spam
cause The server's content filter judged this message to be spam.
next Change the content (links, wording, attachments) and check the sender domain's SPF, DKIM and DMARC; sending it again unchanged will not help.
CASES

# Every rule of the table has a case here, or a comment that says why it cannot.
sed -n 's/.*EXPLAIN_RULE("\([^"]*\)".*/\1/p' "$srcdir/src/explain-rules.c" >"$T/rules"
[ -s "$T/rules" ] || fail "no rules found in $srcdir/src/explain-rules.c"
while IFS= read -r rule; do
	grep -Fq "case $rule " "$T/cases" || grep -Fq "case $rule~" "$T/cases" ||
		grep -Fq "# $rule: not live" "$T/cases" || echo "$rule"
done <"$T/rules" >"$T/uncovered"
[ -s "$T/uncovered" ] && fail "rules without a case: $(tr '\n' ' ' <"$T/uncovered")"

_lib_run srv "$PYTHON" "$TESTS_SRC/scripted.py" --cert "$PKI/leaf-chain.pem" \
	--key "$PKI/leaf-key.pem" --greetings "$T/greetings" "$T/cases"

PLAIN_B64=AGFsaWNlAHMzY3JldA==
nfail=0 ncase=0

# bad WHY: note what is wrong with the current case; run_case reports it.
bad() {
	why="$why
	$1"
}

# The lines smtpcon is given for the case in $name, $step, $flags, $clines.
case_input() {
	[ "$step" = GREETING ] && return
	echo "EHLO $name"
	case " $flags " in *" tls "*) printf 'STARTTLS\nEHLO %s\n' "$name" ;; esac
	case " $flags " in *" authed "*) echo "AUTH PLAIN $PLAIN_B64" ;; esac
	if [ -n "$clines" ]; then
		printf '%s' "$clines"
		return
	fi
	case $step in
	STARTTLS) echo STARTTLS ;;
	AUTH*) echo "AUTH PLAIN $PLAIN_B64" ;;
	MAIL) echo "MAIL FROM:<alice@example.com>" ;;
	RCPT) printf 'MAIL FROM:<alice@example.com>\nRCPT TO:<bob@example.net>\n' ;;
	DATA) printf 'MAIL FROM:<alice@example.com>\nRCPT TO:<bob@example.net>\nDATA\n' ;;
	DOT) printf 'MAIL FROM:<alice@example.com>\nRCPT TO:<bob@example.net>\nDATA\n'
	     printf 'Subject: scripted\n\nhello\n.\n' ;;
	esac
}

# The transcript line the case's reply must follow.
case_before() {
	case $step in
	GREETING) echo '*  connected' ;;
	DOT) echo 'C: .' ;;
	*) echo "C: ${step%%#*}" ;;
	esac
}

run_case() {
	[ -n "$name" ] || return 0
	ncase=$((ncase + 1))
	out=$T/$name.out
	why=
	port=$srv_PORT
	if [ "$step" = GREETING ]; then
		port=$(awk -v n="$name" '$1 == n { print $2 }' "$T/greetings")
	fi
	case_input | "$SMTPCON" --batch --insecure --cafile "$PKI/ca.pem" \
		--timeout 5 "127.0.0.1:$port" >"$out" 2>&1

	# The reply came where it belongs, whole, with the tag beside its last line.
	before=$(case_before)
	awk -v first="S: $first" -v before="$before" '
		($0 == first || index($0, first "    (") == 1) && !found {
			found = 1
			if (index(prev, before) != 1)
				exit 1
		}
		{ prev = $0 }
		END { if (!found) exit 1 }' "$out" ||
		bad "the reply does not follow '$before'"
	grep -Fxq -- "S: $last    ($tag)" "$out" ||
		bad "no tag '($tag)' beside its last line"
	grep -Fxq -- "?  $cause $next" "$out" ||
		bad "no '?' line with the rule's cause and next step"

	# No wrong advice, in the tag or any "?" line.
	grep -E '^\?' "$out" >"$T/advice"
	echo "$tag" >>"$T/advice"
	case " $flags " in *" tls "*) nots="${nots}starttls
" ;; esac
	case " $flags " in *" nostarttls "*) nots="${nots}send starttls|--starttls|starttls and ehlo
" ;; esac
	while IFS= read -r pat; do
		[ -n "$pat" ] && grep -Eiq -- "$pat" "$T/advice" &&
			bad "wrong advice: /$pat/"
	done <<-NOTS
	$nots
	NOTS
	if [ -n "$why" ]; then
		echo "FAIL: $name:$why" >&2
		_lib_show "$out"
		nfail=$((nfail + 1))
	fi
}

name=
while IFS= read -r line; do
	key=${line%% *}
	rest=${line#* }
	case $key in
	case)
		run_case
		set -- $rest
		name=$1 step=$2
		shift 2
		flags="$*" clines= first= last= tag= cause= next= nots=
		;;
	S:)
		[ -n "$first" ] || first=$rest
		last=$rest
		;;
	C:) clines="$clines$rest
" ;;
	tag) tag=$rest ;;
	cause) cause=$rest ;;
	next) next=$rest ;;
	not) nots="$nots$rest
" ;;
	esac
done <"$T/cases"
run_case

stop_server srv
[ "$ncase" -ge 90 ] || fail "only $ncase cases ran"
[ "$nfail" -eq 0 ] || fail "$nfail of $ncase cases failed"
echo "$ncase cases"
pass
