package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;

/**
 * A standalone Dovecot 2.3 ({@code dovecot -F -c <conf>}) in its own temp dir on free loopback
 * ports: IMAP (STARTTLS), IMAPS, POP3 (STLS), POP3S. Any user logs in with {@link #PASSWORD}
 * (static passdb). The certificate is issued by a throw-away {@link TestTls} CA for {@code
 * mail.example.test}, {@code localhost} and {@code 127.0.0.1}; probes trust it via {@link #caFile}.
 * {@link #startForDelivery()} also writes a config for the Dovecot LDA ({@link #ldaConfig}) that a
 * {@link PostfixLab#startDelivering delivering Postfix} pipes local mail to (the LMTP service is a
 * separate Debian package, dovecot-lmtpd, that the lab does not install); mail lands in {@code
 * <dir>/mail/<user>/Maildir} and is read back over IMAP as that user.
 */
public final class DovecotLab implements AutoCloseable {
  public static final String PASSWORD = "labpass";
  public static final String CERT_NAME = "mail.example.test";

  private final Path dir;
  private final TestTls ca;
  private final LabProcess process;
  public final int imapPort;
  public final int imapsPort;
  public final int pop3Port;
  public final int pop3sPort;

  private DovecotLab(Path dir, TestTls ca, LabProcess process, int[] ports) {
    this.dir = dir;
    this.ca = ca;
    this.process = process;
    this.imapPort = ports[0];
    this.imapsPort = ports[1];
    this.pop3Port = ports[2];
    this.pop3sPort = ports[3];
  }

  /** Starts Dovecot and waits until all four ports accept connections. */
  public static DovecotLab start() {
    return start(false);
  }

  /** Like {@link #start()}, with {@link #ldaConfig()} for local delivery. */
  public static DovecotLab startForDelivery() {
    return start(true);
  }

  private static DovecotLab start(boolean delivery) {
    LabProcess.requireTool("dovecot");
    Path dir = labDir("quorate-dovecot");
    TestTls ca = TestTls.newCa(dir.resolve("tls"));
    TestTls.Issued cert = ca.issueValid("mail", List.of(CERT_NAME, "localhost", "127.0.0.1"));
    int[] ports = {Ports.free(), Ports.free(), Ports.free(), Ports.free()};
    try {
      Path mail = Files.createDirectories(dir.resolve("mail"));
      chown(mail, "dovecot");
      Files.createDirectories(dir.resolve("log"));
      Path conf = dir.resolve("dovecot.conf");
      Files.writeString(conf, config(dir, cert, ports, delivery));
      if (delivery) {
        Files.writeString(ldaConfig(dir), ldaConfigText(dir.resolve("run")));
      }
      LabProcess p =
          LabProcess.start(
              "dovecot",
              List.of("dovecot", "-F", "-c", conf.toString()),
              dir,
              dir.resolve("log/stdout.log"));
      for (int port : ports) {
        Ports.awaitTcp(port, Duration.ofSeconds(15), p.handle());
      }
      return new DovecotLab(dir, ca, p, ports);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PEM trust anchor for the lab certificate. */
  public Path caFile() {
    return ca.caFile();
  }

  public Path dir() {
    return dir;
  }

  /**
   * The config file for {@code dovecot-lda -c <it> -d <user>} (a lab started with {@link
   * #startForDelivery()}): the user's home and uid come from this Dovecot's userdb, through its
   * {@code auth-userdb} socket.
   */
  public Path ldaConfig() {
    return ldaConfig(dir);
  }

  private static Path ldaConfig(Path dir) {
    return dir.resolve("lda.conf");
  }

  private static String ldaConfigText(Path run) {
    return String.join(
        "\n",
        "base_dir = " + run,
        "mail_location = maildir:~/Maildir",
        "first_valid_uid = 100",
        "log_path = /dev/stderr", // pipe(8) hands it to Postfix's log
        "ssl = no",
        "");
  }

  @Override
  public void close() {
    process.close();
    deleteTree(dir);
  }

  private static String config(Path dir, TestTls.Issued cert, int[] p, boolean delivery) {
    return String.join(
        "\n",
        "instance_name = quorate-" + dir.getFileName(),
        "base_dir = " + dir.resolve("run"),
        "state_dir = " + dir.resolve("state"),
        "log_path = " + dir.resolve("log/dovecot.log"),
        "protocols = imap pop3",
        "listen = 127.0.0.1",
        "ssl = yes",
        "ssl_cert = <" + cert.certFile(),
        "ssl_key = <" + cert.keyFile(),
        "ssl_min_protocol = TLSv1.2",
        staticAuth(dir.resolve("mail") + "/%u"),
        "first_valid_uid = 100",
        "mail_location = maildir:~/Maildir",
        "service imap-login {",
        "  inet_listener imap {",
        "    address = 127.0.0.1",
        "    port = " + p[0],
        "  }",
        "  inet_listener imaps {",
        "    address = 127.0.0.1",
        "    port = " + p[1],
        "    ssl = yes",
        "  }",
        "}",
        "service pop3-login {",
        "  inet_listener pop3 {",
        "    address = 127.0.0.1",
        "    port = " + p[2],
        "  }",
        "  inet_listener pop3s {",
        "    address = 127.0.0.1",
        "    port = " + p[3],
        "    ssl = yes",
        "  }",
        "}",
        "service lmtp {",
        "  unix_listener lmtp {",
        "    mode = 0600",
        "  }",
        "}",
        // the LDA runs as user dovecot and looks the recipient up through auth-userdb
        delivery ? "service auth {\n  unix_listener auth-userdb {\n    mode = 0666\n  }\n}" : "",
        "");
  }

  /**
   * Dovecot settings shared with {@link PostfixLab}'s SASL instance: PLAIN and LOGIN, any user with
   * {@link #PASSWORD} (static passdb), a static userdb with {@code home}, no failure delay and no
   * auth penalty.
   */
  static String staticAuth(String home) {
    return String.join(
        "\n",
        "disable_plaintext_auth = no",
        "auth_mechanisms = plain login",
        "auth_failure_delay = 0", // a bad-login test need not wait 2 s
        "passdb {",
        "  driver = static",
        "  args = password=" + PASSWORD,
        "}",
        "userdb {",
        "  driver = static",
        "  args = uid=dovecot gid=dovecot home=" + home,
        "}",
        // no auth penalty: one bad-login test must not delay every later login from 127.0.0.1
        // by 2+ s (auth cannot reach anvil-auth-penalty and skips the penalty check)
        "service anvil {",
        "  unix_listener anvil-auth-penalty {",
        "    mode = 0",
        "  }",
        "}");
  }

  /** A fresh temp dir that daemons dropping privileges can traverse (0755). */
  static Path labDir(String prefix) {
    try {
      Path d = Files.createTempDirectory(prefix);
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Best-effort removal of a lab dir after its daemons stopped. */
  static void deleteTree(Path root) {
    if (Boolean.getBoolean("quorate.lab.keep")) {
      return; // -Dquorate.lab.keep=true keeps configs and logs for a post-mortem
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leaving a temp dir behind is harmless
    }
  }

  /** {@code chown user path} (the tests run as root in CI, like the daemons expect). */
  static void chown(Path path, String user) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(path, users.lookupPrincipalByName(user));
  }
}
