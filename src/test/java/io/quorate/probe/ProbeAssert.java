package io.quorate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Target;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;

/** Assertions shared by probe tests: run a probe, then check outcome, kind and detail. */
public final class ProbeAssert {
  private ProbeAssert() {}

  /** Runs {@code probe} on {@code target}; the future must succeed; then {@code then} checks. */
  public static void expect(
      VertxTestContext tc, Probe probe, Target target, Consumer<ProbeResult> then) {
    probe
        .run(target)
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          then.accept(r);
                          tc.completeNow();
                        })));
  }

  /** Exact outcome and error kind, and a detail containing {@code detailPart} (may be null). */
  public static void assertResult(
      ProbeResult r, Outcome outcome, ErrorKind kind, String detailPart) {
    assertEquals(outcome, r.outcome(), () -> "outcome of " + r);
    assertEquals(kind, r.errorKind(), () -> "errorKind of " + r);
    if (detailPart != null) {
      assertTrue(
          r.detail().contains(detailPart),
          () -> "detail should contain \"" + detailPart + "\": " + r);
    }
  }
}
