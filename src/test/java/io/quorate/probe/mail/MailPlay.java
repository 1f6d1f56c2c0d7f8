package io.quorate.probe.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.ScriptedLineServer;
import io.quorate.testsupport.ScriptedLineServer.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Plays a {@link ScriptedLineServer} script to a line probe and checks the result. */
final class MailPlay {
  /** A probe that has not completed this long after its own deadline never will. */
  private static final long STUCK_MS = 5_000;

  private MailPlay() {}

  static Target smtpTarget(int port, TlsMode mode, long timeoutMs, TlsPolicy tls) {
    return MailTargets.target(
        ProbeType.SMTP, port, timeoutMs, new SmtpCheck(mode, null, false, null, tls));
  }

  static void assertDown(ProbeResult r, ErrorKind kind, String detailPart) {
    assertEquals(Outcome.DOWN, r.outcome(), r.detail());
    assertEquals(kind, r.errorKind(), r.detail());
    assertTrue(r.detail().contains(detailPart), r.detail());
  }

  /** A server that answered but asks to come back later: DEGRADED, BUSY. */
  static void assertBusy(ProbeResult r) {
    assertEquals(Outcome.DEGRADED, r.outcome(), r.detail());
    assertEquals(ErrorKind.BUSY, r.errorKind(), r.detail());
  }

  /** Total time within [{@code min}, {@code max}] ms. */
  static void assertTook(ProbeResult r, double min, double max) {
    double t = r.timings().totalMs();
    assertTrue(t >= min && t <= max, "took " + t + " ms, expected " + min + ".." + max);
  }

  static void play(
      Vertx vertx,
      VertxTestContext tc,
      List<Step> steps,
      IntFunction<Target> t,
      BiConsumer<ProbeResult, ScriptedLineServer> check,
      Probe probe) {
    play(vertx, tc, steps, t, check, probe, s -> Future.succeededFuture());
  }

  /**
   * Starts a {@link ScriptedLineServer} with {@code steps}, runs {@code probe} against it, checks
   * the result with {@code check}, then {@code after} (on the server) before the server closes.
   */
  static void play(
      Vertx vertx,
      VertxTestContext tc,
      List<Step> steps,
      IntFunction<Target> t,
      BiConsumer<ProbeResult, ScriptedLineServer> check,
      Probe probe,
      Function<ScriptedLineServer, Future<?>> after) {
    ScriptedLineServer.start(vertx, steps)
        .compose(
            s -> {
              Target target = t.apply(s.port());
              return probe
                  .run(target)
                  .timeout(target.timeoutMs() + STUCK_MS, TimeUnit.MILLISECONDS)
                  .compose(
                      r -> {
                        tc.verify(() -> check.accept(r, s));
                        return after.apply(s);
                      })
                  .eventually(s::close);
            })
        .onComplete(tc.succeedingThenComplete());
  }
}
