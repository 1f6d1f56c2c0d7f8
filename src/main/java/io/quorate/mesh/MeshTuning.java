package io.quorate.mesh;

/**
 * Transport tuning of the mesh. {@link #DEFAULT} is right for production; tests shorten the timings
 * and may inject a send delay.
 *
 * @param batchMax votes per push at most (a larger pending set goes out in several pushes)
 * @param requestTimeoutMs a push or pull without a complete response after this has failed
 * @param backoffBaseMs first retry delay after a failure; doubles per consecutive failure
 * @param backoffCapMs retry delay cap (small, so that a healed partition is noticed quickly)
 * @param pullPageMax votes per pull page at most
 * @param pullPagesMax pages one catch-up pull follows at most (bounds the loop)
 * @param sendDelayMs TEST ONLY: delay added before every push and pull (fault injection)
 * @param sendDelayJitterMs TEST ONLY: the delay varies uniformly by ± this
 */
public record MeshTuning(
    int batchMax,
    long requestTimeoutMs,
    long backoffBaseMs,
    long backoffCapMs,
    int pullPageMax,
    int pullPagesMax,
    long sendDelayMs,
    long sendDelayJitterMs) {

  /**
   * TEST ONLY: system property {@code quorate.test.meshDelayMs}, {@code <ms>} or {@code
   * <ms>:<jitterMs>} (e.g. {@code 300:100}), read by {@link #fromSystemProperties()} to delay every
   * mesh request in the loss-and-delay fault scenario. Never set it in production.
   */
  public static final String DELAY_PROPERTY = "quorate.test.meshDelayMs";

  public static final MeshTuning DEFAULT =
      new MeshTuning(500, 5_000, 100, 5_000, 1_000, 1_000, 0, 0);

  public MeshTuning {
    if (batchMax < 1 || batchMax > MeshCodec.MAX_VOTES) {
      throw new IllegalArgumentException("batchMax must be in 1.." + MeshCodec.MAX_VOTES);
    }
    if (pullPageMax < 1 || pullPageMax > MeshCodec.MAX_VOTES || pullPagesMax < 1) {
      throw new IllegalArgumentException("pull page limits out of range");
    }
    if (requestTimeoutMs < 1 || backoffBaseMs < 1 || backoffCapMs < backoffBaseMs) {
      throw new IllegalArgumentException("timeouts and backoff must be positive");
    }
    if (sendDelayMs < 0 || sendDelayJitterMs < 0 || sendDelayJitterMs > sendDelayMs) {
      throw new IllegalArgumentException("send delay must be >= jitter >= 0");
    }
  }

  /** {@link #DEFAULT}, with the test-only delay of {@link #DELAY_PROPERTY} when it is set. */
  public static MeshTuning fromSystemProperties() {
    String v = System.getProperty(DELAY_PROPERTY);
    if (v == null || v.isBlank()) {
      return DEFAULT;
    }
    String[] parts = v.trim().split(":", 2);
    try {
      long delay = Long.parseLong(parts[0]);
      long jitter = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
      return DEFAULT.withSendDelay(delay, jitter);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(DELAY_PROPERTY + " must be <ms> or <ms>:<jitterMs>", e);
    }
  }

  public MeshTuning withSendDelay(long delayMs, long jitterMs) {
    return new MeshTuning(
        batchMax,
        requestTimeoutMs,
        backoffBaseMs,
        backoffCapMs,
        pullPageMax,
        pullPagesMax,
        delayMs,
        jitterMs);
  }
}
