/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The rule table: what providers' replies mean, by their words and the session's state. */
#include "config.h"

#include "explain-rules.h"

/*
 * Texts are those the providers send, as reported in their documentation and in
 * bounces people post; where the exact wording varies or is not certain, a comment
 * says so and the rule asks only for the key words. Advice that mentions STARTTLS
 * sits only in rules that cannot match once TLS is up (tls NOTYES or NO).
 */
const struct explain_rule explain_rules[] = {
	/* Microsoft 365 (Exchange Online). */
	EXPLAIN_RULE("ms365-smtp-auth-disabled", 5, NULL,
	    "smtpclientauthentication+disabled", NULL, ANY, ANY, ANY,
	    "SMTP AUTH disabled for tenant/mailbox",
	    "Microsoft 365 has SMTP AUTH (logging in to send over SMTP) turned off "
	    "for the tenant or for this mailbox; the credentials are not the "
	    "problem.",
	    "An Exchange administrator must enable it for the mailbox "
	    "(Set-CASMailbox -Identity user -SmtpClientAuthenticationDisabled "
	    "$false) or the tenant (Set-TransportConfig "
	    "-SmtpClientAuthenticationDisabled $false), or the client logs in with "
	    "OAuth (AUTH XOAUTH2); see https://aka.ms/smtp_auth_disabled."),
	/* "535 5.7.139 Authentication unsuccessful, basic authentication is
	 * disabled." */
	EXPLAIN_RULE("ms365-basic-auth-disabled", 5, NULL,
	    "basic authentication is disabled", NULL, ANY, ANY, ANY,
	    "basic auth disabled: use OAuth",
	    "Microsoft 365 no longer accepts logins with a user name and password "
	    "(basic authentication) for this account or tenant.",
	    "Log in with OAuth (AUTH XOAUTH2); only an administrator can allow "
	    "basic authentication again, where Microsoft still permits it."),
	/* "535 5.7.139 Authentication unsuccessful, user is locked by your
	 * organization's security defaults policy. Contact your administrator." */
	EXPLAIN_RULE("ms365-security-defaults", 5, NULL, "security defaults", NULL,
	    ANY, ANY, ANY,
	    "blocked by security defaults (MFA)",
	    "The tenant's security defaults require multi-factor sign-in, which "
	    "blocks SMTP logins with a password.",
	    "An administrator turns security defaults off or exempts this account "
	    "with Conditional Access, or the client logs in with OAuth (AUTH "
	    "XOAUTH2)."),
	/* "535 5.7.139 Authentication unsuccessful, the request did not meet the
	 * criteria to be authenticated successfully. Contact your administrator." */
	EXPLAIN_RULE("ms365-conditional-access", 5, NULL,
	    "did not meet the criteria", NULL, ANY, ANY, ANY,
	    "blocked by Conditional Access",
	    "A Conditional Access policy of the tenant (location, device or MFA "
	    "requirement) refused this login.",
	    "An administrator looks up this user's sign-in log in Entra ID to see "
	    "which policy blocked it and adjusts it, or the client uses OAuth "
	    "(AUTH XOAUTH2)."),
	EXPLAIN_RULE("ms365-bad-credentials", 5, NULL,
	    "authentication unsuccessful+credentials were incorrect", NULL,
	    ANY, ANY, ANY,
	    "auth failed: wrong user or password",
	    "Microsoft 365 rejected the user name or password.",
	    "Check both: the user name is the full address (UPN). If the account "
	    "uses MFA, its own password cannot work here: use OAuth (AUTH XOAUTH2), "
	    "or an app password where the tenant allows them."),
	/* 5.7.139 alone ("/help 535 5.7.139"): Microsoft's text says which. */
	EXPLAIN_RULE("ms365-5.7.139", 535, "5.7.139", NULL, NULL, ANY, ANY, ANY,
	    "Microsoft 365 refused the login",
	    "Microsoft 365 refused the login, and the rest of its reply says why: "
	    "most often SMTP AUTH is disabled for the tenant or mailbox, else a "
	    "security policy blocked it or the credentials were wrong.",
	    "Read the text after \"Authentication unsuccessful\": "
	    "\"SmtpClientAuthentication is disabled\" needs an administrator to "
	    "enable SMTP AUTH (or OAuth); only \"credentials were incorrect\" means "
	    "checking the user name and password."),
	/* "530 5.7.57 Client not authenticated to send mail during MAIL FROM", and
	 * the older "530 5.7.57 SMTP; Client was not authenticated to send
	 * anonymous mail during MAIL FROM". */
	EXPLAIN_RULE("ms365-not-authenticated", 5, "5.7.57", "not authenticated",
	    NULL, ANY, ANY, ANY,
	    "not logged in: AUTH first",
	    "Microsoft 365 takes mail on this port only from logged-in users, and "
	    "this session has not logged in.",
	    "Log in with AUTH LOGIN or AUTH XOAUTH2, then send MAIL FROM again."),
	EXPLAIN_RULE("ms365-not-authenticated-plain", 5, "5.7.57",
	    "not authenticated", NULL, NOTYES, NOTYES, NOTNO,
	    "not logged in: AUTH first",
	    "Microsoft 365 takes mail on this port only from logged-in users, and "
	    "this session has not logged in.",
	    "If TLS is not up yet, send STARTTLS and EHLO again first (Microsoft "
	    "refuses AUTH before TLS); then AUTH LOGIN or AUTH XOAUTH2, then MAIL "
	    "FROM again."),
	/* "554 5.2.252 SendAsDenied; user@a.example not allowed to send as
	 * other@a.example; STOREDRV.Submission.Exception:SendAsDeniedException..." */
	EXPLAIN_RULE("ms365-send-as-denied", 5, NULL, "sendasdenied", NULL,
	    ANY, ANY, ANY,
	    "not allowed to send as this sender",
	    "You logged in as one mailbox, but MAIL FROM or the From: header names "
	    "another, and your account has no Send As right on it.",
	    "Send from your own address, or have an administrator grant Send As "
	    "(or Send on Behalf) on that mailbox; it can take an hour to apply."),
	/* "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request
	 * removal from this list please visit https://sender.office.com/ ..." */
	EXPLAIN_RULE("ms365-banned-ip", 5, NULL, "banned sending ip", NULL,
	    ANY, ANY, ANY,
	    "IP banned by Microsoft 365",
	    "Microsoft 365 has put the sending IP address on its own block list.",
	    "The sender's side must act: the owner of the IP asks for removal at "
	    "https://sender.office.com after fixing the cause; or send through a "
	    "provider whose IP is not listed."),
	/* "451 4.7.500 Server busy. Please try again later from [192.0.2.1].
	 * (S77714)"; the S number varies. */
	EXPLAIN_RULE("ms365-server-busy", 4, NULL, "server busy", NULL,
	    ANY, ANY, ANY,
	    "throttled: server busy, try later",
	    "Microsoft is throttling mail from this IP address for now (a new or "
	    "low-reputation sender, or a burst of mail).",
	    "Retry later and slower; a mail server retries by itself. Nothing to "
	    "change in the session."),
	/* "550 5.1.8 Access denied, bad outbound sender" and "554 5.2.0
	 * STOREDRV.Submission.Exception:OutboundSpamException; ..." */
	EXPLAIN_RULE("ms365-restricted-sender", 5, NULL,
	    "bad outbound sender|outboundspamexception", NULL, ANY, ANY, ANY,
	    "account blocked from sending",
	    "Microsoft 365 has blocked this account from sending, usually because "
	    "it sent spam (often after its password was stolen).",
	    "An administrator secures the account (new password, no strange "
	    "forwarding rules) and releases it under Restricted entities in the "
	    "Microsoft Defender portal."),
	/* "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your
	 * client to support TLS 1.2." */
	EXPLAIN_RULE("ms365-tls-version", 0, NULL,
	    "tls 1.0 and 1.1 are not supported", NULL, ANY, ANY, ANY,
	    "TLS version too old (1.2 needed)",
	    "The TLS session uses version 1.0 or 1.1, which Microsoft 365 no "
	    "longer accepts.",
	    "Reconnect with TLS 1.2 or newer: check the lowest TLS version your "
	    "TLS library and its settings allow."),
	/* "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)
	 * [...]": directory-based edge blocking. Postfix says "Recipient address
	 * rejected: Access denied" too, hence the AS( and the code. */
	EXPLAIN_RULE("ms365-recipient-not-found", 550, "5.4.1",
	    "recipient address rejected: access denied+as(", NULL, ANY, ANY, ANY,
	    "recipient unknown to Microsoft 365",
	    "The recipient's Microsoft 365 organization has no such address "
	    "(directory-based edge blocking refuses unknown recipients).",
	    "Check the address; if it should exist, the recipient's administrator "
	    "must add it to their directory."),
	/* "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP
	 * address lookup" */
	EXPLAIN_RULE("ms365-recipientnotfound", 5, NULL,
	    "recipientnotfound|recipient not found by smtp address lookup", NULL,
	    ANY, ANY, ANY,
	    "no such mailbox (Microsoft 365)",
	    "The recipient's Microsoft 365 organization has no mailbox at this "
	    "address.",
	    "Check the address for typos; if it is right, the recipient's side "
	    "must fix it."),

	/* Exchange Server (on premises). */
	EXPLAIN_RULE("exchange-not-authenticated", 5, NULL,
	    "client was not authenticated", NULL, ANY, ANY, ANY,
	    "not logged in: AUTH first",
	    "Exchange's receive connector takes mail only from logged-in users "
	    "(anonymous senders are not permitted on it).",
	    "Log in with AUTH, then MAIL FROM again. A mail server delivering to "
	    "this organization needs its administrator to allow anonymous users on "
	    "the connector, or must use its MX on port 25."),
	/* "550 5.7.60 SMTP; Client does not have permissions to send as this
	 * sender" */
	EXPLAIN_RULE("exchange-send-as", 5, NULL,
	    "permissions to send as this sender|permission to send as", NULL,
	    ANY, ANY, ANY,
	    "not allowed to send as this sender",
	    "Exchange refuses MAIL FROM because your login has no Send As right "
	    "on that address.",
	    "Send from the address you logged in as, or have the Exchange "
	    "administrator grant Send As on that mailbox."),
	/* "535 5.7.3 Authentication unsuccessful": Exchange's code for any failed
	 * login, whatever RFC 3463 says 5.7.3 means. */
	EXPLAIN_RULE("exchange-5.7.3", 535, "5.7.3", NULL, NULL, ANY, ANY, ANY,
	    "Exchange: login refused",
	    "Exchange uses 5.7.3 for any failed login (not RFC 3463's \"security "
	    "conversion\"): a wrong user name or password, a locked or disabled "
	    "account, or a login method the connector does not allow.",
	    "Check the user name (DOMAIN\\user, or the full address) and the "
	    "password; if they are right, the Exchange administrator checks that "
	    "the receive connector allows basic authentication over TLS."),
	/* "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain" */
	EXPLAIN_RULE("exchange-unable-to-relay", 5, NULL, "unable to relay", NULL,
	    ANY, ANY, ANY,
	    "relay denied: domain not accepted",
	    "The recipient's domain is not one this Exchange organization accepts, "
	    "and it relays to other domains only for allowed senders.",
	    "A user logs in with AUTH (on the submission port 587) first; an "
	    "application or device needs the Exchange administrator to allow its "
	    "IP on a relay connector. To deliver, use the recipient domain's MX."),
	/* "451 4.7.0 Temporary server error. Please try again later. PRX4" (PRX1
	 * to PRX5). */
	EXPLAIN_RULE("exchange-prx", 4, NULL, "temporary server error", NULL,
	    ANY, ANY, ANY,
	    "Exchange: temporary server error",
	    "Exchange's front end could not hand the session on to a mailbox "
	    "server (PRX names the proxy step); the problem is on the server's "
	    "side.",
	    "Try again later; if it lasts, the Exchange administrator checks the "
	    "server's DNS settings and transport services."),
	/* Outlook.com: "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't
	 * sent. Please contact your Internet service provider since part of their
	 * network is on our block list (S3150)." */
	EXPLAIN_RULE("outlook-block-list", 5, NULL, "on our block list", NULL,
	    ANY, ANY, ANY,
	    "IP range on Outlook.com's block list",
	    "Outlook.com blocks the network your IP address belongs to (the S "
	    "number names its list).",
	    "Send through your provider's submission server (port 587 with AUTH); "
	    "a server's owner can ask for delisting with Outlook.com's sender "
	    "support form."),

	/* Gmail and Google Workspace. */
	/* "535-5.7.8 Username and Password not accepted. For more information, go
	 * to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials ..." */
	EXPLAIN_RULE("gmail-bad-credentials", 5, NULL,
	    "username and password not accepted", NULL, ANY, ANY, ANY,
	    "Gmail: user name/password refused",
	    "Google refused the user name or password; with 2-Step Verification "
	    "on, Google never accepts the account's own password over SMTP.",
	    "Log in with the full address and an app password (Google Account > "
	    "Security > App passwords), or with OAuth (AUTH XOAUTH2)."),
	/* "534-5.7.9 Application-specific password required. Learn more at\n534
	 * 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor ..." */
	EXPLAIN_RULE("gmail-app-password", 5, NULL,
	    "application-specific password required", NULL, ANY, ANY, ANY,
	    "app password required",
	    "The account has 2-Step Verification on, so Google will not take its "
	    "normal password over SMTP.",
	    "Create an app password in the Google Account (Security > App "
	    "passwords) and log in with it, or use OAuth (AUTH XOAUTH2)."),
	/* "534-5.7.14 <https://accounts.google.com/signin/continue?...> Please log
	 * in via your web browser and\n534-5.7.14 then try again." */
	EXPLAIN_RULE("gmail-web-login", 5, NULL,
	    "log in via your web browser|login via your web browser", NULL,
	    ANY, ANY, ANY,
	    "Google: sign in via browser first",
	    "Google blocked the login as unusual (a new place or program) until "
	    "you confirm it was you.",
	    "Sign in at accounts.google.com in a browser, confirm the security "
	    "alert, then retry; an app password or OAuth (XOAUTH2) avoids this."),
	/* "454-4.7.0 Too many login attempts, please try again later." */
	EXPLAIN_RULE("too-many-logins", 0, NULL, "too many login attempts", NULL,
	    ANY, ANY, ANY,
	    "too many login attempts",
	    "After repeated failed logins the server refuses more for a while.",
	    "Wait (minutes to an hour), and get the user name and password right "
	    "before trying again."),
	/* "530-5.7.0 Authentication Required. Learn more at\n530 5.7.0
	 * https://support.google.com/mail/?p=WantAuthError", and the same words
	 * from many other servers. */
	EXPLAIN_RULE("auth-required", 5, NULL, "authentication required", NULL,
	    ANY, ANY, ANY,
	    "login required (AUTH first)",
	    "The server takes mail only from logged-in users, and this session "
	    "has not logged in.",
	    "Log in with AUTH (a mechanism listed in the EHLO reply), then send "
	    "MAIL FROM again."),
	EXPLAIN_RULE("auth-required-plain", 5, NULL, "authentication required",
	    NULL, NOTYES, NOTYES, NOTNO,
	    "login required (AUTH first)",
	    "The server takes mail only from logged-in users, and this session "
	    "has not logged in.",
	    "If TLS is not up yet, send STARTTLS and EHLO again first (most "
	    "servers take AUTH only over TLS); then AUTH, then MAIL FROM again."),
	EXPLAIN_RULE("auth-required-no-starttls", 5, NULL,
	    "authentication required", NULL, NO, NOTYES, NO,
	    "login required (AUTH first)",
	    "The server takes mail only from logged-in users, and this session "
	    "has not logged in.",
	    "Log in with AUTH, then MAIL FROM again. The server offers no way to "
	    "encrypt this session, so the password would cross the network "
	    "readable: prefer implicit TLS (--tls, port 465)."),
	EXPLAIN_RULE("auth-required-authed", 5, NULL, "authentication required",
	    NULL, ANY, YES, ANY,
	    "login required, though logged in",
	    "The server asks for a login although this session has logged in: "
	    "the login may not cover this sender, or the server lost it.",
	    "Check that MAIL FROM is the address you logged in as; if it is, "
	    "QUIT, reconnect and log in again."),
	/* "421-4.7.0 [192.0.2.1] Our system has detected an unusual rate of\n
	 * 421-4.7.0 unsolicited mail originating from your IP address. ...";
	 * newer ones carry 4.7.28. */
	EXPLAIN_RULE("gmail-unusual-rate", 0, NULL, "unusual rate", NULL,
	    ANY, ANY, ANY,
	    "rate limited: unusual rate of mail",
	    "Gmail sees too much unwanted mail from this IP address and slows it "
	    "down for now.",
	    "The sender's side must act: retry later and slower, and check that "
	    "the server is not an open relay or sending for a stolen account, "
	    "with SPF, DKIM and reverse DNS in order."),
	/* "452-4.2.1 The user you are trying to contact is receiving mail at a
	 * rate that\n452-4.2.1 prevents additional messages from being delivered." */
	EXPLAIN_RULE("gmail-receiving-rate", 4, NULL, "receiving mail at a rate",
	    NULL, ANY, ANY, ANY,
	    "recipient gets too much mail: later",
	    "The recipient is receiving mail faster than Gmail allows; this is "
	    "not about you.",
	    "Try again later; a mail server retries by itself."),
	/* "550-5.4.5 Daily user sending limit exceeded." and "550 5.4.5 Daily
	 * sending quota exceeded." */
	EXPLAIN_RULE("gmail-daily-limit", 0, NULL,
	    "sending limit exceeded|sending quota exceeded", NULL, ANY, ANY, ANY,
	    "daily sending limit reached",
	    "The account has sent its daily maximum (about 500 messages for "
	    "Gmail, 2,000 for Google Workspace).",
	    "Wait up to 24 hours; bulk mail belongs with a sending service, not a "
	    "mailbox account."),
	/* "550-5.7.26 This message does not have authentication information or
	 * fails to\n550-5.7.26 pass authentication checks. ...", "... fails to pass
	 * authentication checks (SPF or DKIM)", and since 2024 "This mail has been
	 * blocked because the sender is unauthenticated." */
	EXPLAIN_RULE("gmail-unauthenticated", 5, NULL,
	    "does not have authentication information|fails to pass "
	    "authentication checks|sender is unauthenticated|this mail is "
	    "unauthenticated", NULL, ANY, ANY, ANY,
	    "SPF/DKIM checks failed",
	    "The receiving server found no passing SPF or DKIM for the sender's "
	    "domain.",
	    "The sender's domain must fix it: publish SPF that includes the "
	    "sending server and sign with DKIM; or send through the domain's own "
	    "mail server with AUTH."),
	/* "550-5.7.26 Unauthenticated email from example.com is not accepted due
	 * to\n550-5.7.26 domain's DMARC policy. ..." */
	EXPLAIN_RULE("dmarc-reject", 5, NULL, "dmarc", NULL, ANY, ANY, ANY,
	    "rejected by sender domain's DMARC",
	    "The From: domain publishes a DMARC policy asking receivers to refuse "
	    "mail it did not authenticate, and this message passed neither SPF nor "
	    "DKIM aligned with it.",
	    "Send through the mail server of the From: domain (with AUTH), or use "
	    "a From: address in a domain you may send for; its administrator can "
	    "align SPF and DKIM."),
	/* "550-5.1.1 The email account that you tried to reach does not exist.
	 * Please try\n550-5.1.1 double-checking the recipient's email address ..." */
	EXPLAIN_RULE("gmail-no-such-account", 5, NULL,
	    "account that you tried to reach does not exist", NULL, ANY, ANY, ANY,
	    "no such Gmail account",
	    "Google has no account at this address.",
	    "Check the address for typos and stray spaces; if it is right, the "
	    "recipient's side must fix it."),
	/* "550-5.2.1 The email account that you tried to reach is disabled.";
	 * Yahoo: "... This account has been disabled or discontinued". */
	EXPLAIN_RULE("mailbox-disabled", 5, NULL,
	    "account that you tried to reach is disabled|disabled or "
	    "discontinued|account has been disabled|mailbox disabled|mailbox is "
	    "disabled|mailbox is inactive", "RCPT DATA . ?", ANY, ANY, ANY,
	    "recipient's mailbox is disabled",
	    "The recipient's mailbox exists but is disabled and takes no mail.",
	    "Reach them another way; only the recipient's side can fix it."),
	/* "452-4.2.2 The email account that you tried to reach is over quota.",
	 * Dovecot "552 5.2.2 <x@example.org> Mailbox is full" / "Quota exceeded". */
	EXPLAIN_RULE("mailbox-full", 0, NULL,
	    "over quota|quota exceeded|mailbox is full|mailbox full|exceeded its "
	    "quota|mailbox has exceeded", NULL, ANY, ANY, ANY,
	    "recipient's mailbox is full",
	    "The recipient's mailbox has no room left.",
	    "Nothing to fix on your side: try again later or reach them another "
	    "way; they must make room."),
	/* "552-5.2.3 Your message exceeded Google's message size limits. Please
	 * visit\n552-5.2.3 https://support.google.com/mail/?p=MaxSizeError ..." */
	EXPLAIN_RULE("gmail-size", 5, NULL, "google's message size limits", NULL,
	    ANY, ANY, ANY,
	    "too big for Gmail (25 MB limit)",
	    "The message is bigger than Gmail accepts: 25 MB, and attachments "
	    "grow by a third when encoded.",
	    "Send less: shrink or leave out attachments, or share large files by "
	    "link."),
	/* "550-5.7.25 [192.0.2.1] The IP address sending this message does not
	 * have a\n550-5.7.25 PTR record setup, or the corresponding forward DNS
	 * entry does not\n550-5.7.25 point to the sending IP. ..." */
	EXPLAIN_RULE("gmail-no-ptr", 5, NULL,
	    "ptr record setup|missing ptr record|no ptr record", NULL, ANY, ANY, ANY,
	    "no reverse DNS (PTR) for your IP",
	    "The sending IP address has no reverse DNS name (PTR), or its name "
	    "does not point back to the address.",
	    "Whoever runs the sending IP (your ISP or host) sets a PTR whose name "
	    "resolves back to it; from a home line, send through your provider's "
	    "submission server (port 587 with AUTH)."),
	/* "550-5.7.1 [2001:db8::1] Our system has detected that this message does
	 * not meet IPv6 sending guidelines regarding PTR records and
	 * authentication." */
	EXPLAIN_RULE("gmail-ipv6", 5, NULL, "ipv6 sending guidelines", NULL,
	    ANY, ANY, ANY,
	    "fails Gmail's IPv6 sender rules",
	    "Over IPv6 Gmail requires a PTR record for the sending address and "
	    "passing SPF or DKIM.",
	    "Set the PTR for the IPv6 address and fix SPF or DKIM, or send over "
	    "IPv4 (connect to the server's IPv4 address)."),
	/* "550-5.7.1 [192.0.2.1] Our system has detected that this message
	 * is\n550-5.7.1 likely unsolicited mail. To reduce the amount of spam ..." */
	EXPLAIN_RULE("gmail-spam", 5, NULL, "likely unsolicited mail", NULL,
	    ANY, ANY, ANY,
	    "rejected as spam",
	    "Gmail's filters judged this message to be spam (its content, links, "
	    "or the sender's reputation).",
	    "Change the content and check the sender domain's SPF, DKIM and DMARC; "
	    "sending the same message again will not help."),
	/* "552-5.7.0 This message was blocked because its content presents a
	 * potential\n552-5.7.0 security issue. ..." */
	EXPLAIN_RULE("gmail-security-issue", 5, NULL, "potential security issue",
	    NULL, ANY, ANY, ANY,
	    "blocked: risky attachment or content",
	    "Gmail blocked the message for its content, usually an executable "
	    "attachment, also inside an archive.",
	    "Send it without that attachment and share the file by link instead."),
	/* "550-5.7.1 The user or domain that you are sending to (or from) has a
	 * policy that\n550-5.7.1 prohibited the mail that you sent. ..." */
	EXPLAIN_RULE("gmail-policy", 5, NULL, "has a policy that prohibited", NULL,
	    ANY, ANY, ANY,
	    "blocked by a Workspace policy",
	    "A Google Workspace administrator (the recipient's, or the sender's) "
	    "set a rule that refuses this message.",
	    "Ask that administrator; nothing in this session can change it."),
	/* "550-5.7.1 Invalid credentials for relay [192.0.2.1]. The IP address
	 * you've\n550-5.7.1 registered in your G Suite SMTP Relay service doesn't
	 * match ..." */
	EXPLAIN_RULE("gworkspace-relay", 5, NULL, "invalid credentials for relay",
	    NULL, ANY, ANY, ANY,
	    "Workspace relay: IP not allowed",
	    "Google Workspace's SMTP relay service does not know the sending IP "
	    "address for the sender's domain.",
	    "The Workspace administrator adds this IP under Gmail > Routing > SMTP "
	    "relay service, or makes the relay require SMTP AUTH and you log in."),

	/* Yahoo and AOL. */
	/* "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1,
	 * because the ip is in Spamhaus's list; see
	 * https://postmaster.yahooinc.com/error-codes"; the wording has changed
	 * over the years, the [BL21] has not. */
	EXPLAIN_RULE("spamhaus-pbl", 5, NULL, "spamhaus pbl|[bl21]", NULL,
	    ANY, ANY, ANY,
	    "IP on Spamhaus PBL (end-user range)",
	    "The sending IP is in a range its owner lists as not meant to send "
	    "mail directly (home or dynamic addresses: the Spamhaus PBL).",
	    "Send through your provider's submission server (port 587 with AUTH) "
	    "instead of delivering directly; only a server with a fixed IP and "
	    "reverse DNS should ask to leave the PBL."),
	/* "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to
	 * unexpected volume or user complaints - 4.16.55.1; see ..." */
	EXPLAIN_RULE("yahoo-deferred", 4, NULL,
	    "[tss04]|unexpected volume or user complaints", NULL, ANY, ANY, ANY,
	    "deferred: volume or complaints",
	    "Yahoo is slowing mail from this IP because of its volume or "
	    "recipients' spam complaints.",
	    "Retry later and slower; the sending side should cut complaints "
	    "(consent, unsubscribe links) and join Yahoo's complaint feedback "
	    "loop."),
	/* "554 5.7.9 Message not accepted for policy reasons. See
	 * https://help.yahoo.com/kb/postmaster/SLN7253.html" */
	EXPLAIN_RULE("yahoo-policy", 5, NULL, "not accepted for policy reasons",
	    NULL, ANY, ANY, ANY,
	    "refused for policy (not the login)",
	    "Yahoo refused the message for its content or the sender's "
	    "reputation; its 5.7.9 here is not about the AUTH mechanism.",
	    "The sender's side checks SPF, DKIM and DMARC and the content; sending "
	    "the same message again will not help. The link in the reply says "
	    "more."),
	/* "554 delivery error: dd This user doesn't have a yahoo.com account
	 * (x@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com" */
	EXPLAIN_RULE("yahoo-no-such-account", 5, NULL,
	    "doesn't have a yahoo|does not have a yahoo", NULL, ANY, ANY, ANY,
	    "no such Yahoo account",
	    "Yahoo has no account at this address.",
	    "Check the address for typos; if it is right, the recipient's side "
	    "must fix it."),

	/* iCloud. */
	/* "554 5.7.1 [CS01] Message rejected due to local policy. Please visit
	 * https://support.apple.com/en-us/HT204137"; HM07 and HM08 read alike. */
	EXPLAIN_RULE("icloud-policy", 5, NULL, "[cs01]|[hm07]|[hm08]", NULL,
	    ANY, ANY, ANY,
	    "iCloud: rejected by policy",
	    "iCloud's filters rejected the message: its content, or the sender's "
	    "reputation or authentication.",
	    "The sender's side fixes SPF, DKIM and DMARC and the content; Apple's "
	    "page HT204137 explains the codes."),

	/* Postfix, Exim, cPanel and other hosting MTAs; many words are common. */
	/* "554 5.7.1 <x@example.org>: Relay access denied" (Postfix), "550 relay
	 * not permitted" (Exim), "550 ... is not permitted to relay through this
	 * server without authentication" (cPanel). */
	EXPLAIN_RULE("relay-denied", 5, NULL,
	    "relay access denied|relaying denied|relay not permitted|relay "
	    "denied|not permitted to relay|relaying not allowed|relay not "
	    "allowed|we do not relay|relaying prohibited", NULL, ANY, ANY, ANY,
	    "relay denied: log in first",
	    "The server takes mail for other domains only from its logged-in "
	    "users, and this session has not logged in.",
	    "Log in with AUTH, then MAIL FROM and RCPT TO again; or send to the "
	    "recipient domain's own mail server (its MX) instead."),
	EXPLAIN_RULE("relay-denied-plain", 5, NULL,
	    "relay access denied|relaying denied|relay not permitted|relay "
	    "denied|not permitted to relay|relaying not allowed|relay not "
	    "allowed|we do not relay|relaying prohibited", NULL,
	    NOTYES, NOTYES, NOTNO,
	    "relay denied: log in first",
	    "The server takes mail for other domains only from its logged-in "
	    "users, and this session has not logged in.",
	    "If TLS is not up yet, send STARTTLS and EHLO again first; then AUTH, "
	    "then MAIL FROM and RCPT TO again. Or send to the recipient domain's "
	    "own mail server (its MX) instead."),
	EXPLAIN_RULE("relay-denied-authed", 5, NULL,
	    "relay access denied|relaying denied|relay not permitted|relay "
	    "denied|not permitted to relay|relaying not allowed|relay not "
	    "allowed|we do not relay|relaying prohibited", NULL, ANY, YES, ANY,
	    "relay denied despite login",
	    "You are logged in, but the server still will not relay to this "
	    "recipient for you.",
	    "Check that this is your provider's submission server (port 587 or "
	    "465), not the recipient's MX, and that MAIL FROM is an address your "
	    "login may use; else its administrator must let logged-in users relay."),
	/* "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in
	 * virtual mailbox table" (Postfix; also "local recipient table"), and the
	 * usual words of others. */
	EXPLAIN_RULE("user-unknown", 5, NULL,
	    "user unknown|unknown user|no such user|unknown recipient|recipient "
	    "unknown|no such mailbox|mailbox not found|mailbox does not "
	    "exist|invalid recipient|recipient not found|address does not exist",
	    NULL, ANY, ANY, ANY,
	    "no such mailbox (user unknown)",
	    "The recipient's server has no mailbox at this address.",
	    "Check the address for typos before and after the @; if it is right, "
	    "the recipient's side must fix it."),
	/* Exim: "550 Unrouteable address". */
	EXPLAIN_RULE("unrouteable", 5, NULL,
	    "unrouteable address|unroutable address", NULL, ANY, ANY, ANY,
	    "unrouteable address",
	    "The server found no way to deliver to the recipient's domain (no MX "
	    "or address record, or a routing rule of its own).",
	    "Check the domain after the @ for typos; if it is right, the recipient "
	    "domain's DNS (its MX records) is at fault."),
	/* Postfix: "553 5.1.8 <x@example.org>: Sender address rejected: Domain not
	 * found" */
	EXPLAIN_RULE("sender-domain-not-found", 0, NULL,
	    "sender address rejected+domain not found", NULL, ANY, ANY, ANY,
	    "sender's domain does not exist",
	    "The domain of your MAIL FROM address has no DNS records the server "
	    "can find, so no reply could ever reach it.",
	    "Use a MAIL FROM address in a real domain (check the spelling after "
	    "the @)."),
	/* Postfix: "450 4.1.2 <x@example.org>: Recipient address rejected: Domain
	 * not found" */
	EXPLAIN_RULE("recipient-domain-not-found", 0, NULL,
	    "recipient address rejected+domain not found", NULL, ANY, ANY, ANY,
	    "recipient's domain does not exist",
	    "The domain of the recipient address has no DNS records the server "
	    "can find.",
	    "Check the spelling after the @; a 4xx may be a passing DNS failure, "
	    "so retry later if it is right."),
	/* Postgrey: "450 4.2.0 <x@example.org>: Recipient address rejected:
	 * Greylisted, see http://postgrey.schweikert.ch/help/example.org.html" */
	EXPLAIN_RULE("greylisted", 4, NULL,
	    "greylist|graylist|grey listed|gray listed", NULL, ANY, ANY, ANY,
	    "greylisted: retry in a few minutes",
	    "The server turns away mail from senders it has not seen before until "
	    "they retry (greylisting); nothing is wrong.",
	    "Send the same message again after a few minutes (usually 1 to 15); a "
	    "real mail server retries by itself."),
	/* Postfix: "530 5.7.0 Must issue a STARTTLS command first"; Exchange
	 * Online: "451 5.7.3 STARTTLS is required to send mail"; others vary. */
	EXPLAIN_RULE("tls-required", 0, NULL,
	    "must issue a starttls|starttls is required|starttls required|must use "
	    "starttls|tls is required|tls required|encryption required|requires "
	    "tls|must use tls", NULL, NOTYES, ANY, NOTNO,
	    "TLS required first",
	    "The server wants an encrypted (TLS) session before it takes this "
	    "command.",
	    "Send STARTTLS (or reconnect with --starttls), then EHLO again, then "
	    "repeat the command (AUTH, MAIL FROM, ...)."),
	EXPLAIN_RULE("tls-required-no-starttls", 0, NULL,
	    "must issue a starttls|starttls is required|starttls required|must use "
	    "starttls|tls is required|tls required|encryption required|requires "
	    "tls|must use tls", NULL, NO, ANY, NO,
	    "TLS required, but no STARTTLS offered",
	    "The server wants an encrypted (TLS) session before it takes this "
	    "command, but its EHLO reply did not offer STARTTLS.",
	    "Reconnect with implicit TLS (--tls, usually port 465); if STARTTLS "
	    "should be offered, something on the path may be stripping it."),
	EXPLAIN_RULE("tls-required-tls-up", 0, NULL,
	    "must issue a starttls|starttls is required|starttls required|must use "
	    "starttls|tls is required|tls required|encryption required|requires "
	    "tls|must use tls", NULL, YES, ANY, ANY,
	    "TLS required, though TLS is up",
	    "The server asks for TLS although this session has it: it missed the "
	    "handshake (a proxy in between?) or wants a newer TLS version.",
	    "Send EHLO again and repeat the command; if it persists, reconnect "
	    "with implicit TLS (--tls, port 465) or tell the server's "
	    "administrator."),
	/* Postfix: "554 5.5.1 Error: TLS already active" */
	EXPLAIN_RULE("tls-already-active", 0, NULL, "tls already active", NULL,
	    ANY, ANY, ANY,
	    "TLS is already active",
	    "TLS is already running in this session; it can be started only once.",
	    "Carry on: send EHLO (again, if not done since the handshake), then "
	    "AUTH or MAIL FROM."),
	/* Postfix: "454 4.7.0 TLS not available due to local problem" */
	EXPLAIN_RULE("tls-broken-on-server", 4, NULL,
	    "tls not available due to local problem", NULL, ANY, ANY, ANY,
	    "server's TLS setup is broken",
	    "The server's own TLS setup is broken (a missing or unreadable "
	    "certificate or key); the problem is on the server's side.",
	    "Its administrator must fix it; meanwhile try implicit TLS on port 465 "
	    "(--tls) or another server, and do not log in without TLS."),
	/* Postfix with smtpd_tls_auth_only: "503 5.5.1 Error: authentication not
	 * enabled" */
	EXPLAIN_RULE("auth-not-enabled-plain", 5, NULL,
	    "authentication not enabled", NULL, NOTYES, ANY, NOTNO,
	    "AUTH only after TLS",
	    "The server offers AUTH only over TLS, and this session may not be "
	    "encrypted yet.",
	    "Send STARTTLS, then EHLO again, then AUTH."),
	EXPLAIN_RULE("auth-not-enabled-no-starttls", 5, NULL,
	    "authentication not enabled", NULL, NO, ANY, NO,
	    "no AUTH here (and no TLS)",
	    "The server takes no logins on this unencrypted session and offers "
	    "no STARTTLS to encrypt it.",
	    "Reconnect to a submission port: 465 with --tls, or 587."),
	EXPLAIN_RULE("auth-not-enabled-tls-up", 5, NULL,
	    "authentication not enabled", NULL, YES, ANY, ANY,
	    "no AUTH on this port",
	    "The server does not take logins here, even over TLS.",
	    "Use a submission port (587, or 465 with --tls); port 25 often takes "
	    "no logins."),
	/* Postfix: "503 5.5.1 Error: already authenticated" */
	EXPLAIN_RULE("already-authenticated", 5, NULL, "already authenticated",
	    NULL, ANY, ANY, ANY,
	    "already logged in",
	    "This session has already logged in; AUTH works once per session.",
	    "Carry on with MAIL FROM; to log in as someone else, QUIT and "
	    "reconnect."),
	/* Postfix: "503 5.5.1 Error: need MAIL command" */
	EXPLAIN_RULE("need-mail", 5, NULL, "need mail command", NULL,
	    ANY, ANY, ANY,
	    "MAIL FROM first",
	    "RCPT TO or DATA came before a sender was given.",
	    "Send MAIL FROM:<you@example.org> first, then RCPT TO, then DATA."),
	/* Postfix: "503 5.5.1 Error: need RCPT command" */
	EXPLAIN_RULE("need-rcpt", 5, NULL, "need rcpt command", NULL,
	    ANY, ANY, ANY,
	    "RCPT TO first",
	    "DATA came before any recipient was accepted.",
	    "Send RCPT TO:<them@example.org>, check that it gets 250, then DATA."),
	/* Postfix: "554 5.5.1 Error: no valid recipients" */
	EXPLAIN_RULE("no-valid-recipients", 5, NULL, "no valid recipients", NULL,
	    ANY, ANY, ANY,
	    "no valid recipients",
	    "DATA was refused because every RCPT TO of this transaction was "
	    "refused.",
	    "Read the RCPT replies above, fix the addresses, and send RCPT TO "
	    "again before DATA."),
	/* Postfix: "504 5.5.2 <localhost>: Helo command rejected: need
	 * fully-qualified hostname" (or ": Host not found"). */
	EXPLAIN_RULE("helo-rejected", 5, NULL,
	    "helo command rejected|need fully-qualified hostname|invalid "
	    "helo|helo rejected|ehlo rejected", NULL, ANY, ANY, ANY,
	    "HELO/EHLO name refused",
	    "The server refuses the name given in EHLO or HELO: not a full host "
	    "name, or one that does not exist.",
	    "Send EHLO with a full host name that resolves (EHLO mail.example.org) "
	    "or an address literal (EHLO [192.0.2.1]), then go on."),
	/* Postfix: "450 4.7.1 Client host rejected: cannot find your hostname,
	 * [192.0.2.1]"; "550 5.7.1 Client host rejected: cannot find your reverse
	 * hostname, [192.0.2.1]" */
	EXPLAIN_RULE("no-reverse-hostname", 0, NULL,
	    "cannot find your hostname|cannot find your reverse hostname|reverse "
	    "dns|reverse hostname", NULL, ANY, ANY, ANY,
	    "no reverse DNS for your IP",
	    "The server looked up the name of your IP address (reverse DNS) and "
	    "found none, or one that does not lead back to the address.",
	    "Whoever runs the IP (your ISP or host) fixes its PTR record; from a "
	    "home line, send through your provider's submission server (port 587 "
	    "with AUTH) instead."),
	/* Postfix reject_sender_login_mismatch: "553 5.7.1 <x@example.org>: Sender
	 * address rejected: not owned by user y@example.org" */
	EXPLAIN_RULE("sender-login-mismatch", 5, NULL, "not owned by user", NULL,
	    ANY, ANY, ANY,
	    "sender not owned by your login",
	    "MAIL FROM names an address that your login does not own.",
	    "Use MAIL FROM with your own address (the one you logged in as), or "
	    "ask the administrator to allow this address for your login."),
	/* Exim "550 Sender verify failed"; Postfix "450 4.1.7 <x@example.org>:
	 * Sender address rejected: unverified address: ..."; wording varies. */
#define SV_TAG	"sender address could not be verified"
#define SV_CAUSE "The server checked whether the sender address takes mail " \
	    "(asking its mail server) and could not confirm it."
#define SV_NEXT	"Use a real sender address that accepts mail, not a made-up " \
	    "one; its domain's mail server must answer such checks."
	EXPLAIN_RULE("sender-verify-failed", 0, NULL,
	    "sender verify failed|unverified address|sender address not "
	    "verified|sender verification failed|could not verify sender", NULL,
	    ANY, ANY, ANY, SV_TAG, SV_CAUSE, SV_NEXT),
	/*
	 * The same, when the reply quotes the sender's server: Postfix "550 5.1.7
	 * <x@example.org>: Sender address rejected: undeliverable address: host
	 * mx.example.org[192.0.2.9] said: 550 5.1.1 ... User unknown ...", Exim
	 * "550-Verification failed for <x@example.org>\n550-Unrouteable
	 * address\n550 Sender verify failed". The quoted words are about the
	 * sender's address, so two phrases here outweigh user-unknown and
	 * unrouteable, which would send the person to the recipient.
	 */
	EXPLAIN_RULE("sender-verify-postfix", 0, NULL,
	    "sender address rejected+unverified address|undeliverable address",
	    NULL, ANY, ANY, ANY, SV_TAG, SV_CAUSE, SV_NEXT),
	EXPLAIN_RULE("sender-verify-exim", 0, NULL,
	    "verification failed for+sender verify failed", NULL, ANY, ANY, ANY,
	    SV_TAG, SV_CAUSE, SV_NEXT),
#undef SV_TAG
#undef SV_CAUSE
#undef SV_NEXT
	/* SendGrid: "550 The from address does not match a verified Sender
	 * Identity. Mail cannot be sent until this error is resolved. ..." */
	EXPLAIN_RULE("sendgrid-sender-identity", 5, NULL,
	    "verified sender identity", NULL, ANY, ANY, ANY,
	    "sender is not a verified identity",
	    "The sending service takes only From: addresses or domains verified "
	    "in the account (SendGrid's Sender Identity).",
	    "Verify the address, or authenticate the domain, in the service's "
	    "settings, or send from an address already verified."),
	/* Postfix: "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked
	 * using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1";
	 * others say "listed at" or "listed in" and name the list. */
	EXPLAIN_RULE("blocklisted", 0, NULL,
	    "blocked using|listed at|listed in|listed on|blacklisted|blocklisted|"
	    "blacklist|blocklist|dnsbl", NULL, ANY, ANY, ANY,
	    "your IP is on a blocklist",
	    "The connecting IP address is on a DNS blocklist the server checks "
	    "(the reply names the list).",
	    "The sender's side fixes it: look the IP up on the named list "
	    "(Spamhaus: check.spamhaus.org), remove the cause and follow its "
	    "delisting steps; or send through your provider's submission server "
	    "(port 587 with AUTH)."),
	/* Exim: "535 Incorrect authentication data" */
	EXPLAIN_RULE("exim-auth-failed", 5, NULL, "incorrect authentication data",
	    NULL, ANY, ANY, ANY,
	    "auth failed: bad credentials",
	    "The server rejected the user name or password.",
	    "Check both; on cPanel hosts the user name is the full address. Many "
	    "failures in a row can get your IP blocked for a while."),
	/* Postfix with Dovecot: "535 5.7.8 Error: authentication failed:
	 * authentication failure" (or ": UGFzc3dvcmQ6", the last challenge). */
	EXPLAIN_RULE("auth-failed", 5, NULL, "authentication failed", NULL,
	    ANY, ANY, ANY,
	    "auth failed: bad credentials",
	    "The server's login service rejected the user name or password, or "
	    "could not read the AUTH answer.",
	    "Check both (many servers want the full address as user name); for "
	    "AUTH PLAIN the answer is base64 of \\0user\\0password."),
	/* Exim: "451 Temporary local problem - please try later" */
	EXPLAIN_RULE("temporary-local-problem", 4, NULL,
	    "temporary local problem", NULL, ANY, ANY, ANY,
	    "server problem: try later",
	    "The server hit a problem of its own (disk, database or a filter); "
	    "nothing is wrong on your side.",
	    "Try again later; if it lasts, the server's administrator must look "
	    "at its logs."),
	/* Exim: "421 mx.example.org Too many concurrent SMTP connections from this
	 * IP address; please try again later." */
	EXPLAIN_RULE("too-many-connections", 4, NULL,
	    "too many concurrent|too many connections", NULL, ANY, ANY, ANY,
	    "too many connections from your IP",
	    "The server limits how many sessions one IP address may have at once, "
	    "and yours has reached it.",
	    "Close other sessions from this address (other mail programs, "
	    "stuck scripts) and try again in a minute."),
	/* "452 4.5.3 Too many recipients" (Postfix, Gmail: "Your message has too
	 * many recipients"). */
	EXPLAIN_RULE("too-many-recipients", 0, NULL, "too many recipients", NULL,
	    ANY, ANY, ANY,
	    "too many recipients",
	    "The server takes only so many recipients in one message.",
	    "Send DATA for the recipients accepted so far, then the rest in a new "
	    "MAIL FROM transaction."),
	/* Postfix's message_size_limit: "552 5.3.4 Message size exceeds fixed
	 * limit"; others word it freely. */
	EXPLAIN_RULE("size-limit", 5, NULL,
	    "size exceeds|exceeds size limit|message too large|message too "
	    "big|message is too large|message size limit|maximum message size",
	    NULL, ANY, ANY, ANY,
	    "message too big for the server",
	    "The message is bigger than the server accepts.",
	    "See the SIZE limit in the EHLO reply and send a smaller message "
	    "(attachments grow by a third in base64)."),
	/* policyd-spf: "550 5.7.1 <x@example.org>: Recipient address rejected:
	 * Message rejected due to: SPF fail - not authorized. Please see
	 * http://www.openspf.net/Why?s=mfrom;..."; others say "SPF check failed". */
	EXPLAIN_RULE("spf-fail", 5, NULL,
	    "spf fail|spf check failed|fails spf|failed spf|spf validation|"
	    "spf: fail|spf=fail|openspf|spf softfail|spf permerror", NULL,
	    ANY, ANY, ANY,
	    "SPF check failed",
	    "The sender domain's SPF record does not list the IP address this "
	    "mail comes from.",
	    "Send through a server the domain's SPF allows (its own, port 587 with "
	    "AUTH), or its administrator adds this server to the SPF record."),
	/* Content filters: "550 5.7.1 Message rejected as spam by Content
	 * Filtering." (Exchange), SpamAssassin and rspamd wordings vary. */
	EXPLAIN_RULE("spam-content", 5, NULL,
	    "rejected as spam|spam message rejected|considered spam|identified as "
	    "spam|detected as spam|classified as spam|looks like spam|spam score",
	    NULL, ANY, ANY, ANY,
	    "rejected as spam",
	    "The server's content filter judged this message to be spam.",
	    "Change the content (links, wording, attachments) and check the "
	    "sender domain's SPF, DKIM and DMARC; sending it again unchanged will "
	    "not help."),
};

const size_t explain_rules_n = sizeof explain_rules / sizeof explain_rules[0];
