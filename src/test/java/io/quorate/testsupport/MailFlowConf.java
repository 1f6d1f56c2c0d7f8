package io.quorate.testsupport;

import java.nio.file.Path;

/** The configuration files of {@link MailFlowLab}: Postfix main.cf, master.cf, Dovecot. */
final class MailFlowConf {
  private MailFlowConf() {}

  static String postfixMain(Path dir, TestTls.Issued cert) {
    return String.join(
        "\n",
        "compatibility_level = 3.6",
        "myhostname = " + MailFlowLab.HOSTNAME,
        "mydomain = " + MailFlowLab.DOMAIN,
        "myorigin = $mydomain",
        "mydestination =",
        "relay_domains =",
        "relayhost =",
        "inet_interfaces = 127.0.0.1",
        "inet_protocols = ipv4",
        "mynetworks = 127.0.0.0/8",
        "queue_directory = " + dir.resolve("spool"),
        "data_directory = " + dir.resolve("data"),
        "mail_owner = postfix",
        "setgid_group = postdrop",
        "maillog_file = /dev/stdout",
        "alias_maps =",
        "alias_database =",
        "local_recipient_maps =",
        "biff = no",
        "smtp_dns_support_level = disabled",
        "smtpd_peername_lookup = no",
        // every address of the domain is a Dovecot mailbox, delivered by dovecot-lda (pipe)
        "virtual_mailbox_domains = " + MailFlowLab.DOMAIN,
        "virtual_transport = dovecot",
        "dovecot_destination_recipient_limit = 1",
        "smtpd_reject_unlisted_recipient = no",
        "default_transport = error:quorate lab does not relay",
        "relay_transport = error:quorate lab does not relay",
        "smtpd_banner = $myhostname ESMTP Postfix (quorate mail-flow lab)",
        "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated,"
            + " reject_unauth_destination",
        "smtpd_recipient_restrictions = check_recipient_access regexp:"
            + dir.resolve("postfix/recipient_access"),
        "smtpd_tls_cert_file = " + cert.certFile(),
        "smtpd_tls_key_file = " + cert.keyFile(),
        "smtpd_tls_received_header = yes",
        "smtpd_tls_loglevel = 0",
        "smtp_tls_security_level = none",
        "smtpd_sasl_type = dovecot",
        "smtpd_sasl_path = private/auth",
        "smtpd_sasl_auth_enable = yes",
        "smtpd_tls_auth_only = yes",
        "");
  }

  /** A regexp table needs no postmap: Postfix reads the file as it is. */
  static String recipientAccess() {
    return String.join(
        "\n",
        "/^" + MailFlowLab.HELD_PREFIX + "[^@]*@/ HOLD",
        "/^" + MailFlowLab.REFUSED.replace(".", "\\.") + "$/ REJECT 5.1.1 no such mailbox",
        "");
  }

  static String postfixMaster(int submission, int smtps, Path dovecotConf) {
    String lab =
        String.join(
            "\n",
            "127.0.0.1:" + submission + " inet n - n - - smtpd",
            "  -o smtpd_tls_security_level=encrypt",
            "127.0.0.1:" + smtps + " inet n - n - - smtpd",
            "  -o smtpd_tls_wrappermode=yes",
            "  -o smtpd_tls_security_level=encrypt");
    return lab
        + "\n"
        + String.join(
            "\n",
            "pickup    unix  n       -       n       60      1       pickup",
            "cleanup   unix  n       -       n       -       0       cleanup",
            "qmgr      unix  n       -       n       300     1       qmgr",
            "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
            "rewrite   unix  -       -       n       -       -       trivial-rewrite",
            "bounce    unix  -       -       n       -       0       bounce",
            "defer     unix  -       -       n       -       0       bounce",
            "trace     unix  -       -       n       -       0       bounce",
            "verify    unix  -       -       n       -       1       verify",
            "flush     unix  n       -       n       1000?   0       flush",
            "proxymap  unix  -       -       n       -       -       proxymap",
            "proxywrite unix -       -       n       -       1       proxymap",
            "smtp      unix  -       -       n       -       -       smtp",
            "relay     unix  -       -       n       -       -       smtp",
            "showq     unix  n       -       n       -       -       showq",
            "error     unix  -       -       n       -       -       error",
            "retry     unix  -       -       n       -       -       error",
            "discard   unix  -       -       n       -       -       discard",
            "dovecot   unix  -       n       n       -       -       pipe",
            "  flags=DRhu user=dovecot:dovecot argv=/usr/lib/dovecot/dovecot-lda -c "
                + dovecotConf
                + " -f ${sender} -d ${recipient}",
            "anvil     unix  -       -       n       -       1       anvil",
            "scache    unix  -       -       n       -       1       scache",
            "postlog   unix-dgram n  -       n       -       1       postlogd",
            "");
  }

  /** IMAP (STARTTLS) and IMAPS for reading the Maildirs, and SASL auth for Postfix. */
  static String dovecot(Path dir, TestTls.Issued cert, int[] p, Path authSocket) {
    return String.join(
        "\n",
        "instance_name = quorate-" + dir.getFileName(),
        "base_dir = " + dir.resolve("dovecot-run"),
        "state_dir = " + dir.resolve("dovecot-state"),
        "log_path = /dev/stderr", // dovecot-lda runs as dovecot and logs into the pipe
        "protocols = imap",
        "listen = 127.0.0.1",
        "ssl = yes",
        "ssl_cert = <" + cert.certFile(),
        "ssl_key = <" + cert.keyFile(),
        "ssl_min_protocol = TLSv1.2",
        DovecotLab.staticAuth(dir.resolve("mail") + "/%u"),
        "first_valid_uid = 100",
        "mail_location = maildir:~/Maildir",
        "service imap-login {",
        "  inet_listener imap {",
        "    address = 127.0.0.1",
        "    port = " + p[2],
        "  }",
        "  inet_listener imaps {",
        "    address = 127.0.0.1",
        "    port = " + p[3],
        "    ssl = yes",
        "  }",
        "}",
        "service auth {",
        "  unix_listener " + authSocket + " {",
        "    mode = 0660",
        "    user = postfix",
        "    group = postfix",
        "  }",
        "}",
        "");
  }
}
