package io.quorate.dns.auth;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Rendered UDP responses by query bytes (all but the ID), for the current zone versions: a query
 * seen before is answered by copying its response and patching in the new ID, without parsing,
 * looking up or rendering again (PowerDNS's packet cache, keyed the same way). Only what is a pure
 * function of the query bytes and the zones is cached: unsigned, no transfers, zones without
 * response-rate limiting (see {@link AuthoritativeServer}). A zone change starts a new, empty
 * generation; a response computed while the change happened lands in the discarded one. Bounded:
 * {@link #MAX_ENTRIES} per generation, then nothing more is added until the next change. Lookups
 * and inserts on one event loop; {@link #invalidate()} from any thread.
 */
final class PacketCache {
  /** Entries per generation (responses are at most {@link QueryResponder#OUR_UDP_PAYLOAD}). */
  static final int MAX_ENTRIES = 4_096;

  /** Queries longer than this are not cached (a question and an OPT fit easily). */
  static final int MAX_QUERY = 300;

  /** A cached answer: the response with a zero ID, and what its metrics need. */
  record Entry(byte[] response, String zone, int rcode) {
    /** The response to {@code query}: the cached bytes with the query's ID (RFC 1035 §4.1.1). */
    byte[] responseTo(byte[] query) {
      byte[] out = response.clone();
      out[0] = query[0];
      out[1] = query[1];
      return out;
    }
  }

  /** The query bytes after the ID, compared by content. */
  private static final class Key {
    final byte[] bytes;
    final int hash;

    Key(byte[] query) {
      this.bytes = Arrays.copyOfRange(query, 2, query.length);
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** One set of entries, valid until the next zone change. */
  static final class Generation {
    private final Map<Key, Entry> entries = new HashMap<>();
  }

  private volatile Generation current = new Generation();

  /** The generation to insert into after answering a query that missed. */
  Generation generation() {
    return current;
  }

  /** The cached answer to {@code query}, or {@code null}. */
  Entry get(byte[] query) {
    if (query.length > MAX_QUERY || query.length < 12) {
      return null;
    }
    return current.entries.get(new Key(query));
  }

  /** Caches {@code response} (to {@code query}) in {@code gen}, unless it is full. */
  void put(Generation gen, byte[] query, byte[] response, String zone, int rcode) {
    if (query.length > MAX_QUERY || query.length < 12 || gen.entries.size() >= MAX_ENTRIES) {
      return;
    }
    byte[] r = response.clone();
    r[0] = 0;
    r[1] = 0;
    gen.entries.put(new Key(query), new Entry(r, zone, rcode));
  }

  /** Forgets every entry: called after every zone change (new snapshots). */
  void invalidate() {
    current = new Generation();
  }

  /** Entries in the current generation (for tests). */
  int size() {
    return current.entries.size();
  }
}
