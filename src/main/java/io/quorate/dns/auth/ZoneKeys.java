package io.quorate.dns.auth;

import io.quorate.config.DnsZone;
import io.quorate.dns.Records;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * The TSIG key (RFC 8945) of each embedded zone, as dnsjava wants it: verifies signed queries and
 * transfers, signs answers and NOTIFY. Zones without a {@code tsig} block have no key (their
 * transfers are refused). Weak algorithms are accepted only with {@code allowWeak} (RFC 8945 §6).
 */
public final class ZoneKeys {
  private final Map<Name, TSIG> keys = new HashMap<>();
  private final Map<Name, Raw> raw = new HashMap<>();

  /** A key's parts, for the MAC dnsjava cannot make (BADTIME, see {@link TsigErrors}). */
  record Raw(Name name, Name algorithm, String jce, byte[] secret) {}

  /**
   * @throws IllegalArgumentException when a key is unusable (algorithm not allowed, bad secret);
   *     the message never quotes the secret
   */
  public ZoneKeys(List<DnsZone> zones) {
    for (DnsZone z : zones) {
      if (z.isEmbedded() && z.tsig() != null) {
        TSIG key = key(z.tsig());
        keys.put(Records.name(z.zone()), key);
        raw.put(Records.name(z.zone()), raw(z.tsig()));
      }
    }
  }

  /** The key of the zone with apex {@code origin} (canonical), or {@code null}. */
  public TSIG of(Name origin) {
    return keys.get(origin);
  }

  /** The parts of the key of {@code origin}, or {@code null}. */
  Raw raw(Name origin) {
    return raw.get(origin);
  }

  private static Raw raw(DnsZone.Tsig t) {
    Name alg = TSIG.algorithmToName(algorithm(t));
    String jce = "Hmac" + algorithm(t).substring("hmac-".length()).toUpperCase(Locale.ROOT);
    byte[] secret;
    try {
      secret = java.util.Base64.getMimeDecoder().decode(t.secret().reveal().trim());
    } catch (IllegalArgumentException e) { // never echo the secret
      throw new IllegalArgumentException("TSIG key " + t.name() + " has an invalid secret");
    }
    return new Raw(Records.name(t.name()), alg, jce, secret);
  }

  private static String algorithm(DnsZone.Tsig t) {
    return Records.tsigAlgorithm(t);
  }

  static TSIG key(DnsZone.Tsig t) {
    return Records.tsig(t);
  }
}
