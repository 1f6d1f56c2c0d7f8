package io.quorate.config;

import java.util.Set;

/** Reads the {@code heartbeat:} block of a heartbeat target. */
final class HeartbeatCheckReader {
  private static final Set<String> KEYS = Set.of("periodMs", "graceMs", "token");

  private HeartbeatCheckReader() {}

  static HeartbeatCheck read(YamlNode block, ReadContext ctx) {
    if (!block.requirePresent() || !block.mapping(KEYS)) {
      return null;
    }
    long max = HeartbeatCheck.MAX_PERIOD_MS;
    YamlNode periodNode = block.get("periodMs");
    Long period = periodNode.integer(HeartbeatCheck.MIN_PERIOD_MS, max, null);
    if (period == null && !periodNode.present()) {
      periodNode.error("required");
    }
    Long grace = block.get("graceMs").integer(0, max, 0L);
    Secret token = ctx.secret(block.get("token"));
    if (token != null && token.reveal().length() < HeartbeatCheck.MIN_TOKEN) {
      block.get("token").error("must be at least " + HeartbeatCheck.MIN_TOKEN + " characters");
      return null;
    }
    if (period == null || grace == null || token == null) {
      return null;
    }
    return new HeartbeatCheck(period, grace, token);
  }
}
