package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Mail that really flows: a Postfix 3.7 instance that accepts mail for {@code example.test} and
 * delivers it through {@code dovecot-lda} (a pipe transport) into a Dovecot 2.3 that serves the
 * same mailboxes over IMAP (Debian's Dovecot LMTP server is a separate package, not in the lab).
 * Dovecot also provides Postfix's SASL AUTH (any user, {@link DovecotLab#PASSWORD}).
 *
 * <p>Postfix ports: {@link #submissionPort} requires STARTTLS before MAIL ({@code
 * smtpd_tls_security_level=encrypt}), {@link #smtpsPort} is implicit TLS. Dovecot ports: {@link
 * #imapPort} (STARTTLS) and {@link #imapsPort}. Mailboxes are per full address (user {@code
 * a@example.test}). Recipients with a fixed behaviour ({@code recipient_access}, RFC 5321 replies):
 * {@link #HELD_PREFIX}{@code *} are put on hold (released only by {@link #release}), {@link
 * #REFUSED} is rejected with 550 at RCPT. Both daemons are stopped by their own PIDs.
 */
public final class MailFlowLab implements AutoCloseable {
  public static final String DOMAIN = "example.test";
  public static final String HOSTNAME = "mail.example.test";
  public static final String PASSWORD = DovecotLab.PASSWORD;

  /** Local parts starting with this are held in Postfix's hold queue. */
  public static final String HELD_PREFIX = "held";

  /** Rejected at RCPT TO with 550. */
  public static final String REFUSED = "refused@" + DOMAIN;

  private final Path dir;
  private final TestTls ca;
  private final LabProcess dovecot;
  private final LabProcess postfix;
  public final int submissionPort;
  public final int smtpsPort;
  public final int imapPort;
  public final int imapsPort;

  private MailFlowLab(Path dir, TestTls ca, LabProcess dovecot, LabProcess postfix, int[] ports) {
    this.dir = dir;
    this.ca = ca;
    this.dovecot = dovecot;
    this.postfix = postfix;
    this.submissionPort = ports[0];
    this.smtpsPort = ports[1];
    this.imapPort = ports[2];
    this.imapsPort = ports[3];
  }

  /** Starts Dovecot (IMAP, LMTP, auth), then Postfix, and waits for every port. */
  public static MailFlowLab start() {
    LabProcess.requireTool("postfix");
    LabProcess.requireTool("dovecot");
    Path dir = DovecotLab.labDir("quorate-mailflow");
    TestTls ca = TestTls.newCa(dir.resolve("tls"));
    TestTls.Issued cert = ca.issueValid("mail", List.of(HOSTNAME, "localhost", "127.0.0.1"));
    // submission, smtps, imap, imaps
    int[] ports = {Ports.free(), Ports.free(), Ports.free(), Ports.free()};
    LabProcess dovecot = null;
    try {
      Path conf = Files.createDirectories(dir.resolve("postfix"));
      Path spool = Files.createDirectories(dir.resolve("spool"));
      Path priv = Files.createDirectories(spool.resolve("private"));
      DovecotLab.chown(priv, "postfix");
      Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwx------"));
      DovecotLab.chown(Files.createDirectories(dir.resolve("data")), "postfix");
      Path mail = Files.createDirectories(dir.resolve("mail"));
      DovecotLab.chown(mail, "dovecot");
      Files.getFileAttributeView(mail, PosixFileAttributeView.class)
          .setGroup(
              mail.getFileSystem()
                  .getUserPrincipalLookupService()
                  .lookupPrincipalByGroupName("dovecot"));
      Files.createDirectories(dir.resolve("log"));
      Files.writeString(conf.resolve("main.cf"), MailFlowConf.postfixMain(dir, cert));
      Path dovecotConf = dir.resolve("dovecot.conf");
      Files.writeString(
          conf.resolve("master.cf"), MailFlowConf.postfixMaster(ports[0], ports[1], dovecotConf));
      Files.writeString(conf.resolve("recipient_access"), MailFlowConf.recipientAccess());
      Files.writeString(dovecotConf, MailFlowConf.dovecot(dir, cert, ports, priv.resolve("auth")));
      dovecot =
          LabProcess.start(
              "dovecot-mailflow",
              List.of("dovecot", "-F", "-c", dovecotConf.toString()),
              dir,
              dir.resolve("log/dovecot.log"));
      for (int p : new int[] {ports[2], ports[3]}) {
        Ports.awaitTcp(p, Duration.ofSeconds(15), dovecot.handle());
      }
      Ports.awaitPath(priv.resolve("auth"), Duration.ofSeconds(15), dovecot.handle());
      LabProcess pf =
          LabProcess.start(
              "postfix-mailflow",
              List.of("postfix", "-c", conf.toString(), "start-fg"),
              dir,
              dir.resolve("log/postfix.log"));
      Ports.awaitTcp(ports[0], Duration.ofSeconds(30), pf.handle());
      Ports.awaitTcp(ports[1], Duration.ofSeconds(30), pf.handle());
      return new MailFlowLab(dir, ca, dovecot, pf, ports);
    } catch (IOException | RuntimeException e) {
      if (dovecot != null) {
        dovecot.close();
      }
      DovecotLab.deleteTree(dir);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** PEM trust anchor for both servers' certificate. */
  public Path caFile() {
    return ca.caFile();
  }

  public Path dir() {
    return dir;
  }

  /** Postfix's queue as {@code postqueue -j} prints it: one JSON object per queued message. */
  public String queue() {
    return LabProcess.run(
        List.of("postqueue", "-c", dir.resolve("postfix").toString(), "-j"),
        Duration.ofSeconds(10));
  }

  /**
   * Releases one held message ({@code postsuper -H}) and asks the queue manager to deliver it now
   * ({@code postqueue -i}); returns the queue id.
   */
  public String queueRelease(String queueId) {
    String conf = dir.resolve("postfix").toString();
    LabProcess.run(List.of("postsuper", "-c", conf, "-H", queueId), Duration.ofSeconds(10));
    LabProcess.run(List.of("postqueue", "-c", conf, "-i", queueId), Duration.ofSeconds(10));
    return queueId;
  }

  /** Deletes every message of every queue ({@code postsuper -d ALL}). */
  public void purgeQueue() {
    String conf = dir.resolve("postfix").toString();
    LabProcess.run(List.of("postsuper", "-c", conf, "-d", "ALL"), Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    postfix.close();
    dovecot.close();
    DovecotLab.deleteTree(dir);
  }
}
