package io.quorate.config;

import java.util.Objects;

/**
 * One thing that is probed. A round-robin member is its own target: probed at its own address with
 * the service's name as Host/SNI/EHLO, never through DNS.
 *
 * @param id unique id ({@code [a-z0-9][a-z0-9._-]*}, at most 63 characters)
 * @param type probe type
 * @param group group id, or {@code null}
 * @param address IP address or host name to connect to
 * @param port TCP/UDP port
 * @param intervalMs time between probe starts (at least {@link #MIN_INTERVAL_MS})
 * @param timeoutMs the whole probe's time limit (less than the interval)
 * @param degradedAboveMs a passing probe slower than this is DEGRADED ({@code null}: never)
 * @param fall consecutive failures before the local state turns DOWN
 * @param rise consecutive successes before the local state turns UP
 * @param check type-specific options; its type matches {@code type}
 */
public record Target(
    String id,
    ProbeType type,
    String group,
    String address,
    int port,
    long intervalMs,
    long timeoutMs,
    Long degradedAboveMs,
    int fall,
    int rise,
    Check check) {

  public static final long MIN_INTERVAL_MS = 1_000;
  public static final long DEFAULT_INTERVAL_MS = 10_000;
  public static final long DEFAULT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_FALL = 2;
  public static final int DEFAULT_RISE = 2;

  public Target {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(check, "check");
  }

  /** The check options, cast to the expected type. */
  public <C extends Check> C check(Class<C> kind) {
    return kind.cast(check);
  }
}
