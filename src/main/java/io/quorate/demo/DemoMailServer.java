package io.quorate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo mail host on one address: SMTP, IMAP and POP3 on three ports, each plaintext with
 * STARTTLS/STLS using the demo certificate ({@link DemoTls}). Just enough of each protocol for
 * Quorate's probes and for {@code openssl s_client -starttls}; it accepts no mail and no login.
 *
 * <p>{@link #start()} and {@link #stop()} may be called any number of times, from any thread, in
 * any order; they run one after the other. Start binds all three ports (or none: a port that cannot
 * be bound fails the start and releases the others); stop closes the listeners and every open
 * session.
 */
public final class DemoMailServer {
  private static final Logger LOG = LoggerFactory.getLogger(DemoMailServer.class);

  /** The three ports. */
  public record Ports(int smtp, int imap, int pop3) {
    public Ports {
      for (int p : List.of(smtp, imap, pop3)) {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("port out of range: " + p);
        }
      }
      if (smtp == imap || smtp == pop3 || imap == pop3) {
        throw new IllegalArgumentException(
            "the three ports must differ: smtp=" + smtp + " imap=" + imap + " pop3=" + pop3);
      }
    }
  }

  /**
   * Per-session bounds.
   *
   * @param maxLineBytes longest command line, without its line end (RFC 5321 §4.5.3.1.6: 1000
   *     octets with CRLF)
   * @param maxCommands most commands in one session
   * @param idleTimeoutMs a session silent this long is closed
   * @param maxSessions most open sessions per port; more are greeted with "busy" and closed
   */
  public record Limits(int maxLineBytes, int maxCommands, long idleTimeoutMs, int maxSessions) {
    public static final Limits DEFAULT = new Limits(998, 100, 30_000, 64);

    public Limits {
      if (maxLineBytes < 64 || maxCommands < 1 || idleTimeoutMs < 1 || maxSessions < 1) {
        throw new IllegalArgumentException("limits must be positive (lines >= 64 bytes)");
      }
    }
  }

  private final String id;
  private final String host;
  private final String serverName;
  private final Ports ports;
  private final List<MailListener> listeners;
  private final Lifecycle lifecycle = new Lifecycle();
  private volatile boolean running;

  /** A server with {@link Limits#DEFAULT}. */
  public DemoMailServer(
      Vertx vertx, String id, String host, String serverName, Ports ports, DemoTls tls) {
    this(vertx, id, host, serverName, ports, tls, Limits.DEFAULT);
  }

  /**
   * @param id member id for logs, e.g. {@code mail-1}
   * @param host the address to bind, e.g. {@code 127.0.0.31}
   * @param serverName the name in greetings, e.g. {@code mail1.demo.test} (one of {@link
   *     DemoTls#DNS_NAMES} for the certificate to match)
   */
  public DemoMailServer(
      Vertx vertx,
      String id,
      String host,
      String serverName,
      Ports ports,
      DemoTls tls,
      Limits limits) {
    this.id = Objects.requireNonNull(id, "id");
    this.host = Objects.requireNonNull(host, "host");
    this.serverName = Objects.requireNonNull(serverName, "serverName");
    this.ports = Objects.requireNonNull(ports, "ports");
    ServerSSLOptions ssl = tls.serverOptions();
    this.listeners =
        List.of(
            new MailListener(
                vertx, id, host, ports.smtp(), new SmtpDialect(serverName), limits, ssl),
            new MailListener(
                vertx, id, host, ports.imap(), new ImapDialect(serverName), limits, ssl),
            new MailListener(
                vertx, id, host, ports.pop3(), new Pop3Dialect(serverName), limits, ssl));
  }

  public String id() {
    return id;
  }

  public String host() {
    return host;
  }

  public String serverName() {
    return serverName;
  }

  public Ports ports() {
    return ports;
  }

  /** True between a successful start and the next stop. */
  public boolean running() {
    return running;
  }

  /** Listens on the three ports; succeeds at once if already running. */
  public Future<Void> start() {
    return lifecycle.then(
        () -> {
          if (running) {
            return Future.succeededFuture();
          }
          return Future.all(listeners.stream().map(MailListener::listen).toList())
              .<Void>mapEmpty()
              .onSuccess(
                  v -> {
                    running = true;
                    LOG.info(
                        "demo-mail member={} event=started host={} smtp={} imap={} pop3={}",
                        id,
                        host,
                        ports.smtp(),
                        ports.imap(),
                        ports.pop3());
                  })
              .recover(t -> closeAll().transform(v -> Future.failedFuture(t)));
        });
  }

  /**
   * Closes the three listeners and every open session; completes once the three ports refuse
   * connections. Succeeds at once if not running.
   */
  public Future<Void> stop() {
    return lifecycle.then(
        () -> {
          if (!running) {
            return Future.succeededFuture();
          }
          running = false;
          return closeAll().onSuccess(v -> LOG.info("demo-mail member={} event=stopped", id));
        });
  }

  /** Open sessions on all three ports (for tests and the demo's status). */
  public int openSessions() {
    return listeners.stream().mapToInt(MailListener::sessions).sum();
  }

  private Future<Void> closeAll() {
    return Future.join(listeners.stream().map(MailListener::close).toList()).mapEmpty();
  }
}
