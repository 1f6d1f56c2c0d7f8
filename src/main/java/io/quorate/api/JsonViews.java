package io.quorate.api;

import io.quorate.config.Target;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.TlsInfo;
import io.quorate.quorum.HysteresisState;
import io.quorate.quorum.Observation;
import io.quorate.quorum.TargetStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * JSON shapes of the API: camelCase names, RFC 3339 UTC times, durations in milliseconds with an
 * {@code Ms} suffix. Secrets are never part of a view.
 */
public final class JsonViews {
  private JsonViews() {}

  public static String time(Instant i) {
    return i == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  public static JsonObject target(TargetStatus s) {
    Target t = s.target();
    HysteresisState h = s.state();
    JsonObject j =
        new JsonObject()
            .put("id", t.id())
            .put("type", t.type().wireName())
            .put("group", t.group())
            .put("address", t.address())
            .put("port", t.port())
            .put("intervalMs", t.intervalMs())
            .put("timeoutMs", t.timeoutMs())
            .put("degradedAboveMs", t.degradedAboveMs())
            .put("state", h.status().name())
            .put("since", time(h.since()))
            .put("transitions", h.transitions())
            .put(
                "hysteresis",
                new JsonObject()
                    .put("fall", t.fall())
                    .put("rise", t.rise())
                    .put("consecutiveFailures", h.failRun())
                    .put("consecutivePasses", h.passRun()));
    j.put("latest", s.latest() == null ? null : observation(s.latest()));
    return j;
  }

  public static JsonObject observation(Observation o) {
    ProbeResult r = o.result();
    JsonObject j =
        new JsonObject()
            .put("targetId", r.targetId())
            .put("region", o.region())
            .put("seq", o.seq())
            .put("startedAt", time(r.startedAt()))
            .put("outcome", r.outcome().name())
            .put("errorKind", r.errorKind() == null ? null : r.errorKind().wireName())
            .put("detail", r.detail())
            .put("timings", timings(r.timings()));
    if (r.tls() != null) {
      j.put("tls", tls(r.tls()));
    }
    if (!r.facts().isEmpty()) {
      JsonObject f = new JsonObject();
      r.facts().entrySet().stream()
          .sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> f.put(e.getKey(), e.getValue()));
      j.put("facts", f);
    }
    return j;
  }

  static JsonObject timings(Timings t) {
    return new JsonObject()
        .put("connectMs", round(t.connectMs()))
        .put("tlsMs", round(t.tlsMs()))
        .put("firstByteMs", round(t.firstByteMs()))
        .put("totalMs", round(t.totalMs()));
  }

  static JsonObject tls(TlsInfo t) {
    return new JsonObject()
        .put("protocol", t.protocol())
        .put("cipherSuite", t.cipherSuite())
        .put("subject", t.subject())
        .put("issuer", t.issuer())
        .put("notAfter", time(t.notAfter()))
        .put("daysLeft", t.daysLeft());
  }

  private static Double round(Double ms) {
    return ms == null ? null : Math.round(ms * 1000.0) / 1000.0;
  }

  /** Human one-line summary used by the CLI. */
  public static String summary(ProbeResult r) {
    String base =
        String.format(
            Locale.ROOT, "%s %s in %.1f ms", r.outcome(), r.targetId(), r.timings().totalMs());
    if (r.errorKind() != null) {
      base += " [" + r.errorKind().wireName() + "]";
    }
    return r.detail().isEmpty() ? base : base + ": " + r.detail();
  }
}
