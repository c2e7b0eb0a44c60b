/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The built-in profiles: the submission settings the providers document, and what AUTH
 * each needs. A profile of the same name in the config file replaces one of these.
 */
#include "config.h"

#include <stddef.h>

#include "conffile.h"

#define CONFFILE_BUILTIN(n, h, p, m, note) \
	{ n, h, p, m, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0, -1, note, 0 }

const struct conffile_profile conffile_builtin[] = {
	CONFFILE_BUILTIN("m365", "smtp.office365.com", "587", CONFFILE_MODE_STARTTLS,
	    "Microsoft 365: SMTP AUTH must be enabled for the mailbox (basic AUTH "
	    "may be disabled for the tenant); XOAUTH2 is the way"),
	CONFFILE_BUILTIN("gmail", "smtp.gmail.com", "587", CONFFILE_MODE_STARTTLS,
	    "Gmail / Google Workspace: an app password (2-Step Verification on) "
	    "or XOAUTH2"),
	CONFFILE_BUILTIN("gmail-465", "smtp.gmail.com", "465", CONFFILE_MODE_TLS,
	    "Gmail / Google Workspace, implicit TLS: an app password or XOAUTH2"),
	CONFFILE_BUILTIN("outlook", "smtp-mail.outlook.com", "587",
	    CONFFILE_MODE_STARTTLS,
	    "Outlook.com (personal accounts): Microsoft is moving it to XOAUTH2"),
	CONFFILE_BUILTIN("icloud", "smtp.mail.me.com", "587", CONFFILE_MODE_STARTTLS,
	    "iCloud Mail: an app-specific password, the full address as user"),
	CONFFILE_BUILTIN("yahoo", "smtp.mail.yahoo.com", "465", CONFFILE_MODE_TLS,
	    "Yahoo Mail, implicit TLS: an app password"),
	CONFFILE_BUILTIN("yahoo-587", "smtp.mail.yahoo.com", "587",
	    CONFFILE_MODE_STARTTLS, "Yahoo Mail, STARTTLS: an app password"),
};

const size_t conffile_nbuiltin = sizeof conffile_builtin / sizeof conffile_builtin[0];
