package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertDown;

import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TcpCheck;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeGuard;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A line probe whose start-up throws still completes, DOWN with INTERNAL: the {@code run} future
 * never fails and never hangs (the {@link io.quorate.probe.Probe} contract).
 */
@ExtendWith(VertxExtension.class)
class MailProbeStartupTest {
  /** Longer than any of these runs may take: a run still pending then never completes. */
  private static final long STUCK_MS = 3_000;

  /** An SMTP-shaped probe whose start-up throws: its TLS policy lookup fails. */
  private static final class Exploding extends LineProbe<SmtpCheck> {
    Exploding(ProbeContext ctx) {
      super(
          ctx,
          ProbeType.SMTP,
          SmtpCheck.class,
          c -> {
            throw new IllegalStateException("policy exploded");
          });
    }

    @Override
    protected Future<Void> dialog(LineRun run, SmtpCheck check, Target target) {
      return Future.succeededFuture();
    }
  }

  @Test
  void startUpThatThrowsCompletesInternal(Vertx vertx, VertxTestContext tc) {
    Target t = MailPlay.smtpTarget(Ports.free(), TlsMode.NONE, 1_000, null);
    expectInternal(
        vertx,
        tc,
        () -> new Exploding(ProbeContext.of(vertx)).run(t),
        r -> assertDown(r, ErrorKind.INTERNAL, "policy exploded"));
  }

  @Test
  void checkOfTheWrongTypeIsInternalNotAThrow(Vertx vertx, VertxTestContext tc) {
    Target t =
        MailTargets.target(ProbeType.SMTP, Ports.free(), 1_000, new TcpCheck(null, null, null));
    expectInternal(
        vertx,
        tc,
        () -> new SmtpProbe(ProbeContext.of(vertx)).run(t),
        r -> assertDown(r, ErrorKind.INTERNAL, "internal error"));
  }

  @Test
  void guardTurnsAFailedAttemptIntoInternal(Vertx vertx, VertxTestContext tc) {
    Target t = MailPlay.smtpTarget(Ports.free(), TlsMode.NONE, 1_000, null);
    expectInternal(
        vertx,
        tc,
        () ->
            ProbeGuard.onEventLoop(
                ProbeContext.of(vertx),
                t,
                "test-probe",
                () -> Future.failedFuture(new IllegalStateException("attempt lost"))),
        r -> assertDown(r, ErrorKind.INTERNAL, "attempt lost"));
  }

  /** Runs {@code run} (a synchronous throw counts as a failure); it must complete as checked. */
  private static void expectInternal(
      Vertx vertx,
      VertxTestContext tc,
      Supplier<Future<ProbeResult>> run,
      Consumer<ProbeResult> check) {
    Future.succeededFuture()
        .compose(v -> run.get())
        .timeout(STUCK_MS, TimeUnit.MILLISECONDS)
        .onComplete(tc.succeeding(r -> tc.verify(() -> check.accept(r)).completeNow()));
  }
}
