package io.quorate.failover;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An RRset in presentation form: owner name (absolute, lower-case, no trailing dot), type mnemonic
 * ({@code A}, {@code AAAA}, {@code CNAME}, {@code MX}), TTL, and the RDATA values (addresses,
 * {@code host} or {@code "10 host"}, names without the trailing dot, lower-case). Values are a
 * sorted set, so two RRsets with the same records are equal whatever order a server returned.
 */
public record RRset(String name, String type, long ttl, Set<String> values) {
  public RRset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = java.util.Collections.unmodifiableSet(new TreeSet<>(values));
  }

  /** No records of this name and type. */
  public static RRset empty(String name, String type) {
    return new RRset(name, type, 0, Set.of());
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Same records (TTL ignored). */
  public boolean sameRecords(RRset other) {
    return other != null
        && values.equals(other.values)
        && name.equals(other.name)
        && type.equals(other.type);
  }
}
