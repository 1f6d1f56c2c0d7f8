package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A separate Postfix 3.7 instance ({@code postfix -c <dir> start-fg}, so {@link LabProcess} owns
 * the master's parent and stops the master by PID) on free loopback ports: SMTP with STARTTLS and
 * SMTPS (implicit TLS). It rejects every recipient and never relays. SMTP AUTH (PLAIN, LOGIN) is
 * offered after TLS through Dovecot SASL: a second, protocol-less Dovecot whose auth service
 * listens on {@code <queue>/private/auth}; any user with {@link #PASSWORD} authenticates.
 *
 * <p>{@link #startDelivering} starts a second kind of instance that accepts mail for one local
 * domain and pipes it to the Dovecot LDA of a {@link DovecotLab#startForDelivery()} lab; it relays
 * nothing else. It also listens on {@link #plainPort}, an SMTP port that offers no STARTTLS (logged
 * as {@code postfix/plain/smtpd}), and defers mail to {@code busy@<domain>} with {@code 450}.
 */
public final class PostfixLab implements AutoCloseable {
  public static final String PASSWORD = DovecotLab.PASSWORD;
  public static final String HOSTNAME = "mail.example.test";

  private final Path dir;
  private final TestTls ca;
  private final LabProcess postfix;
  private final LabProcess auth;
  public final int smtpPort;
  public final int smtpsPort;

  /** SMTP without STARTTLS ({@link #startDelivering} only; -1 otherwise). */
  public final int plainPort;

  private PostfixLab(Path dir, TestTls ca, LabProcess postfix, LabProcess auth, int[] ports) {
    this.dir = dir;
    this.ca = ca;
    this.postfix = postfix;
    this.auth = auth;
    this.smtpPort = ports[0];
    this.smtpsPort = ports[1];
    this.plainPort = ports[2];
  }

  /** Starts the Dovecot auth service, then Postfix, and waits for both SMTP ports. */
  public static PostfixLab start() {
    return start(null, null);
  }

  /**
   * Starts an instance that delivers mail for {@code domain} (any local part) through {@code
   * dovecot-lda} (pipe(8) as user dovecot, with {@code dovecot}'s {@link DovecotLab#ldaConfig()}),
   * adds the TLS details to its {@code Received:} header, and relays only for authenticated clients
   * (to nowhere: relayed mail bounces).
   */
  public static PostfixLab startDelivering(DovecotLab dovecot, String domain) {
    return start(dovecot.ldaConfig(), domain);
  }

  private static PostfixLab start(Path lda, String domain) {
    LabProcess.requireTool("postfix");
    LabProcess.requireTool("dovecot");
    Path dir = DovecotLab.labDir("quorate-postfix");
    TestTls ca = TestTls.newCa(dir.resolve("tls"));
    TestTls.Issued cert = ca.issueValid("mail", List.of(HOSTNAME, "localhost", "127.0.0.1"));
    int smtp = Ports.free();
    int smtps = Ports.free();
    int plain = lda == null ? -1 : Ports.free();
    LabProcess auth = null;
    try {
      Path conf = Files.createDirectories(dir.resolve("postfix"));
      Path spool = Files.createDirectories(dir.resolve("spool"));
      Path priv = Files.createDirectories(spool.resolve("private"));
      DovecotLab.chown(priv, "postfix"); // master binds private/* as user postfix
      Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwx------"));
      DovecotLab.chown(Files.createDirectories(dir.resolve("data")), "postfix"); // master.lock
      Files.createDirectories(dir.resolve("log"));
      String main = mainCf(dir, cert);
      String master = masterCf(smtp, smtps);
      if (lda != null) {
        main = deliveringMainCf(main, domain);
        master = plainPort(plain) + master + ldaService(lda);
      }
      Files.writeString(conf.resolve("main.cf"), main);
      Files.writeString(conf.resolve("master.cf"), master);
      Path authConf = dir.resolve("dovecot-auth.conf");
      Files.writeString(authConf, authConf(dir, priv.resolve("auth")));
      auth =
          LabProcess.start(
              "dovecot-auth",
              List.of("dovecot", "-F", "-c", authConf.toString()),
              dir,
              dir.resolve("log/dovecot-auth.log"));
      Ports.awaitPath(priv.resolve("auth"), Duration.ofSeconds(15), auth.handle());
      LabProcess pf =
          LabProcess.start(
              "postfix",
              List.of("postfix", "-c", conf.toString(), "start-fg"),
              dir,
              dir.resolve("log/postfix.log"));
      Ports.awaitTcp(smtp, Duration.ofSeconds(30), pf.handle());
      Ports.awaitTcp(smtps, Duration.ofSeconds(30), pf.handle());
      if (plain > 0) {
        Ports.awaitTcp(plain, Duration.ofSeconds(30), pf.handle());
      }
      return new PostfixLab(dir, ca, pf, auth, new int[] {smtp, smtps, plain});
    } catch (IOException | RuntimeException e) {
      if (auth != null) {
        auth.close();
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** PEM trust anchor for the lab certificate. */
  public Path caFile() {
    return ca.caFile();
  }

  public TestTls ca() {
    return ca;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    postfix.close();
    auth.close();
    DovecotLab.deleteTree(dir);
  }

  private static String mainCf(Path dir, TestTls.Issued cert) {
    return String.join(
        "\n",
        "compatibility_level = 3.6",
        "myhostname = " + HOSTNAME,
        "mydomain = example.test",
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
        // maillog_file must match maillog_file_prefixes (/var, /dev/stdout): LabProcess's log
        "maillog_file = /dev/stdout",
        "alias_maps =",
        "alias_database =",
        "local_recipient_maps =",
        "biff = no",
        "smtp_dns_support_level = disabled",
        "smtpd_peername_lookup = no", // no reverse lookups through the machine's resolver
        "default_transport = error:quorate lab does not relay",
        "relay_transport = error:quorate lab does not relay",
        "smtpd_banner = $myhostname ESMTP Postfix (quorate lab)",
        "smtpd_relay_restrictions = reject",
        "smtpd_recipient_restrictions = reject",
        "smtpd_tls_security_level = may",
        "smtpd_tls_cert_file = " + cert.certFile(),
        "smtpd_tls_key_file = " + cert.keyFile(),
        "smtpd_tls_loglevel = 0",
        "smtp_tls_security_level = none",
        "smtpd_sasl_type = dovecot",
        "smtpd_sasl_path = private/auth",
        "smtpd_sasl_auth_enable = yes",
        "smtpd_tls_auth_only = yes",
        "");
  }

  /** Postfix's log (maillog_file = /dev/stdout, collected by {@link LabProcess}). */
  public Path log() {
    return postfix.log();
  }

  /** {@code base} with the delivering mode's settings replacing or added to its own. */
  private static String deliveringMainCf(String base, String domain) {
    java.util.Map<String, String> set = new java.util.LinkedHashMap<>();
    set.put("mydestination", domain);
    set.put("local_transport", "dovecot");
    set.put("dovecot_destination_recipient_limit", "1"); // one LDA run per recipient
    set.put("local_recipient_maps", ""); // any local part
    set.put("smtpd_relay_restrictions", "permit_sasl_authenticated, reject_unauth_destination");
    set.put(
        "smtpd_recipient_restrictions",
        "check_recipient_access inline:{ {busy@" + domain + " = 450 4.2.1 mailbox busy} }");
    set.put("smtpd_tls_received_header", "yes"); // RFC 3848 + cipher details in Received:
    StringBuilder out = new StringBuilder();
    for (String line : base.split("\n")) {
      String key = line.contains(" = ") ? line.substring(0, line.indexOf(" = ")) : null;
      if (key == null || !set.containsKey(key)) {
        out.append(line).append('\n');
      }
    }
    set.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
    return out.toString();
  }

  /** The pipe(8) transport to the Dovecot LDA (the set-up Dovecot documents for Postfix). */
  private static String ldaService(Path ldaConfig) {
    return String.join(
        "\n",
        "dovecot   unix  -       n       n       -       -       pipe",
        "  flags=DRhu user=dovecot:dovecot argv=/usr/lib/dovecot/dovecot-lda -c "
            + ldaConfig
            + " -f ${sender} -d ${recipient}",
        "");
  }

  private static String plainPort(int port) {
    return String.join(
        "\n",
        "127.0.0.1:" + port + " inet n - n - - smtpd",
        "  -o syslog_name=postfix/plain",
        "  -o smtpd_tls_security_level=none",
        "");
  }

  private static String masterCf(int smtp, int smtps) {
    String lab =
        String.join(
            "\n",
            "127.0.0.1:" + smtp + " inet n - n - - smtpd",
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
            "local     unix  -       n       n       -       -       local",
            "virtual   unix  -       n       n       -       -       virtual",
            "lmtp      unix  -       -       n       -       -       lmtp",
            "anvil     unix  -       -       n       -       1       anvil",
            "scache    unix  -       -       n       -       1       scache",
            "postlog   unix-dgram n  -       n       -       1       postlogd",
            "");
  }

  private static String authConf(Path dir, Path socket) {
    return String.join(
        "\n",
        "instance_name = quorate-auth-" + dir.getFileName(),
        "base_dir = " + dir.resolve("dovecot-run"),
        "state_dir = " + dir.resolve("dovecot-state"),
        "log_path = /dev/stderr",
        "protocols =",
        "listen = 127.0.0.1",
        "ssl = no",
        DovecotLab.staticAuth("/nonexistent"),
        "service auth {",
        "  unix_listener " + socket + " {",
        "    mode = 0660",
        "    user = postfix",
        "    group = postfix",
        "  }",
        "}",
        "");
  }
}
