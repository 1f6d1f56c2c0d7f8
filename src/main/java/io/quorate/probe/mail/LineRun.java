package io.quorate.probe.mail;

import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Failures;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.TlsInfo;
import io.quorate.probe.tls.TlsVerifier;
import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one line-protocol probe run: deadline, current phase, session, TLS judgement and
 * facts; it turns the dialog's outcome into a {@link ProbeResult} after closing the socket.
 *
 * <p>Time limits: the whole run ends at {@code target.timeoutMs()}; each phase ({@link #phase})
 * also has its own limit, fixed when it starts ({@link PhaseLimit}: connect and TLS handshake get
 * all the time left, the greeting 3/4 of the timeout, each command reply 1/2, login 3/4, each at
 * least 1 s and at most the time left). Every read of a phase shares the phase's deadline, and a
 * TIMEOUT names the phase and its limit, e.g. {@code EHLO: timed out waiting for the EHLO reply
 * after 1500 ms}. The TLS handshake timeout of Vert.x is set per upgrade to the phase limit, so
 * Vert.x's 10 s default never cuts a longer probe and a shorter probe's handshake ends on time.
 */
public final class LineRun {
  private static final Logger LOG = LoggerFactory.getLogger(LineRun.class);

  /** Slack after the deadline before the safety net fires (every step has its own deadline). */
  private static final long GUARD_MS = 500;

  private static final int MAX_FACT = 200;

  private final ProbeContext ctx;
  private final Target target;
  private final TlsPolicy policy;
  private final Instant startedAt;
  private final long startNanos;
  private final long deadlineNanos;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private String phase = "connect";
  private String awaiting = "connect";
  private long phaseLimitMs;
  private long phaseDeadlineNanos;
  private LineSession session;
  private Double connectMs;
  private TlsInfo tls;
  private TlsVerifier.Judgement warning;

  /** Starts the clock for {@code target}; {@code policy} judges any TLS session made. */
  public LineRun(ProbeContext ctx, Target target, TlsPolicy policy) {
    this.ctx = ctx;
    this.target = target;
    this.policy = policy == null ? TlsPolicy.DEFAULT : policy;
    this.startedAt = ctx.clock().instant();
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(target.timeoutMs());
  }

  /** Connects to the target's address and port. */
  public Future<LineSession> connect(NetClient client) {
    phase("connect", PhaseLimit.REMAINING);
    return LineSession.connect(ctx.vertx(), client, target.address(), target.port(), deadlineNanos)
        .onSuccess(
            s -> {
              session = s;
              connectMs = Timings.millisBetween(startNanos, System.nanoTime());
            });
  }

  /** Implicit TLS right after connect, then the TLS judgement. */
  public Future<Void> implicitTls() {
    phase("TLS handshake", PhaseLimit.REMAINING);
    return session.implicitTls(tlsOptions(), sniName(), waitingFor()).compose(v -> judge());
  }

  /** TLS after a positive STARTTLS/STLS reply, then the TLS judgement. */
  public Future<Void> startTls() {
    phase("TLS handshake", PhaseLimit.REMAINING);
    return session.startTls(tlsOptions(), sniName(), waitingFor()).compose(v -> judge());
  }

  /** Built per upgrade: the handshake may take the phase's limit, not Vert.x's 10 s default. */
  private ClientSSLOptions tlsOptions() {
    return TlsVerifier.clientOptions()
        .setSslHandshakeTimeout(Math.max(1, phaseRemainingMs()))
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** Reads one line within the current phase's limit. */
  public Future<String> readLine() {
    return session.readLine(phaseRemainingMs(), waitingFor());
  }

  /** Reads one whole SMTP reply within the current phase's limit. */
  public Future<List<String>> readReply() {
    return session.readReply(phaseRemainingMs(), waitingFor());
  }

  /** Reads the start of a banner (see {@link LineSession#readGreeting}) within the phase limit. */
  public Future<String> readGreeting(Predicate<String> done) {
    return session.readGreeting(done, phaseRemainingMs(), waitingFor());
  }

  /** Credentials go only over TLS, unless the target is configured for plaintext (tls: none). */
  public Future<Void> requireTlsForCredentials(boolean plaintextAllowed) {
    if (tls == null && !plaintextAllowed) {
      return Future.failedFuture(
          ProbeFailure.down(ErrorKind.TLS, "refusing to send credentials without TLS"));
    }
    return Future.succeededFuture();
  }

  private Future<Void> judge() {
    TlsVerifier.Judgement j =
        ctx.tls().judge(session.peerCertificates(), session.sslSession(), policy, serviceName());
    tls = j.info();
    if (j.outcome() == Outcome.DOWN) {
      return Future.failedFuture(ProbeFailure.down(j.errorKind(), j.detail()));
    }
    if (j.outcome() == Outcome.DEGRADED) {
      warning = j;
    }
    return Future.succeededFuture();
  }

  private String serviceName() {
    return policy.serverName() != null ? policy.serverName() : target.address();
  }

  /** SNI is a host name only (RFC 6066 §3: literal IP addresses are not permitted). */
  private String sniName() {
    String n = serviceName();
    boolean ip = n.contains(":") || n.matches("[0-9.]+");
    return ip ? null : n;
  }

  public LineSession session() {
    return session;
  }

  public boolean tlsActive() {
    return tls != null;
  }

  /** Milliseconds left until the whole probe's deadline. */
  public long remainingMs() {
    return LineSession.remainingMs(deadlineNanos);
  }

  /** Starts phase {@code name}, an ordinary command reply ({@link PhaseLimit#REPLY}). */
  public void phase(String name) {
    phase(name, PhaseLimit.REPLY);
  }

  /** Starts phase {@code name}; its reads and handshakes must end within {@code limit}. */
  public void phase(String name, PhaseLimit limit) {
    phase = name;
    phaseLimitMs = limit.limitMs(target.timeoutMs(), remainingMs());
    phaseDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(phaseLimitMs);
    awaiting = limit == PhaseLimit.REPLY || limit == PhaseLimit.LOGIN ? name + " reply" : name;
  }

  /** Milliseconds left in the current phase (never beyond the whole probe's deadline). */
  public long phaseRemainingMs() {
    return LineSession.remainingMs(phaseDeadlineNanos);
  }

  /** What a TIMEOUT of the current phase says, e.g. "waiting for the EHLO reply after 1500 ms". */
  private String waitingFor() {
    return "waiting for the " + awaiting + " after " + phaseLimitMs + " ms";
  }

  public void fact(String key, String value) {
    facts.put(key, clip(value));
  }

  /** Waits for {@code dialog}, closes the socket, and builds the result. Never fails. */
  public Future<ProbeResult> finish(Future<?> dialog) {
    long guard = remainingMs() + GUARD_MS;
    return dialog
        .timeout(guard, TimeUnit.MILLISECONDS)
        .transform(ar -> close().map(v -> result(ar.cause())))
        .recover(t -> Future.succeededFuture(internal(t)));
  }

  private Future<Void> close() {
    return session == null ? Future.succeededFuture() : session.close();
  }

  private ProbeResult result(Throwable cause) {
    Timings timings =
        new Timings(
            connectMs,
            session == null ? null : session.tlsMs(),
            session == null ? null : session.firstByteMs(),
            Timings.millisBetween(startNanos, System.nanoTime()));
    if (cause == null) {
      return warning == null
          ? new ProbeResult(target.id(), Outcome.UP, null, "", startedAt, timings, tls, facts)
          : new ProbeResult(
              target.id(),
              Outcome.DEGRADED,
              warning.errorKind(),
              "TLS: " + warning.detail(),
              startedAt,
              timings,
              tls,
              facts);
    }
    if (cause instanceof ProbeFailure f) {
      return new ProbeResult(
          target.id(),
          f.outcome(),
          f.kind(),
          phase + ": " + f.getMessage(),
          startedAt,
          timings,
          tls,
          facts);
    }
    Failures.Classified c = Failures.classify(phase, cause);
    return new ProbeResult(
        target.id(), Outcome.DOWN, c.kind(), c.detail(), startedAt, timings, tls, facts);
  }

  private ProbeResult internal(Throwable t) {
    LOG.warn("probe target={} internal error={}", target.id(), t.toString());
    return ProbeResult.down(
        target.id(),
        ErrorKind.INTERNAL,
        "internal error: " + t,
        startedAt,
        Timings.total(Timings.millisBetween(startNanos, System.nanoTime())));
  }

  /** A printable, bounded excerpt of what a server said, for details and facts. */
  public static String clip(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_FACT));
    for (int i = 0; i < s.length() && b.length() < MAX_FACT; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString().trim();
  }
}
