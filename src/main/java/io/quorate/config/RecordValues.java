package io.quorate.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/**
 * RDATA values of the record types a pool may manage, in one canonical presentation form so that a
 * configured value and a value read from a server compare equal: A as a dotted quad, AAAA in the
 * RFC 5952 text form (lower-case, zeros compressed; the form {@code dns.Records} reads), CNAME and
 * MX hosts lower-case without the trailing dot, MX as {@code "<priority> <host>"} with one space.
 */
public final class RecordValues {
  /** The types a pool may manage. */
  public static final List<String> TYPES = List.of("A", "AAAA", "CNAME", "MX");

  private static final Pattern MX = Pattern.compile("\\s*([0-9]{1,5})\\s+(\\S+)\\s*");
  private static final int MAX_PREFERENCE = 65_535;

  private RecordValues() {}

  /** The canonical form of {@code value} for {@code type}, or {@code null} when it is invalid. */
  public static String canonical(String type, String value) {
    return problem(type, value) == null ? normalise(type, value) : null;
  }

  /** Why {@code value} is not valid RDATA for {@code type}, or {@code null} when it is. */
  public static String problem(String type, String value) {
    switch (type) {
      case "A":
        return Address.toByteArray(value, Address.IPv4) == null
            ? "must be an IPv4 address for type A"
            : null;
      case "AAAA":
        byte[] v6 = Address.toByteArray(value, Address.IPv6);
        if (v6 != null && isV4Mapped(v6)) {
          // RFC 4291 §2.5.5.2: an internal representation, never published (and read back as v4)
          return "must be an IPv6 address for type AAAA, not IPv4-mapped";
        }
        return v6 == null ? "must be an IPv6 address for type AAAA" : null;
      case "CNAME":
        return hostProblem(value) == null ? null : "must be a host name for type CNAME";
      case "MX":
        Matcher m = MX.matcher(value);
        boolean ok =
            m.matches()
                && Integer.parseInt(m.group(1)) <= MAX_PREFERENCE
                && hostProblem(m.group(2)) == null;
        return ok ? null : "must be \"<priority 0..65535> <host>\" for type MX";
      default:
        return "unsupported type " + type;
    }
  }

  private static String normalise(String type, String value) {
    switch (type) {
      case "A":
        return ipv4(Address.toByteArray(value, Address.IPv4));
      case "AAAA":
        return ipv6(Address.toByteArray(value, Address.IPv6));
      case "CNAME":
        return Names.normalName(value);
      default:
        Matcher m = MX.matcher(value);
        m.matches();
        return Integer.parseInt(m.group(1)) + " " + Names.normalName(m.group(2));
    }
  }

  /** A host name: a valid DNS name, not the root, not a wildcard, not an address literal. */
  private static String hostProblem(String host) {
    if (host.equals(".") || host.startsWith("*") || Names.isIpLiteral(host)) {
      return "not a host name";
    }
    return Names.dnsNameProblem(host);
  }

  private static String ipv4(byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  /** RFC 5952 §4: lower-case hex, no leading zeros, the longest run of 2+ zero groups as ::. */
  private static String ipv6(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
