package io.quorate.config;

import java.util.Locale;

/** How a line protocol (smtp, imap, pop3) gets to TLS. */
public enum TlsMode {
  /** Plaintext only; STARTTLS is not attempted. */
  NONE,
  /** STARTTLS/STLS must be offered and succeed. */
  STARTTLS,
  /** STARTTLS/STLS is used if offered; a server without it is still UP. */
  OPPORTUNISTIC,
  /** TLS from the first byte (ports 465, 993, 995). */
  IMPLICIT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TlsMode parse(String s) {
    for (TlsMode m : values()) {
      if (m.wireName().equals(s)) {
        return m;
      }
    }
    return null;
  }

  /** The conventional mode for a port: implicit TLS on 465/993/995, else STARTTLS. */
  public static TlsMode defaultFor(int port) {
    return switch (port) {
      case 465, 993, 995 -> IMPLICIT;
      default -> STARTTLS;
    };
  }
}
