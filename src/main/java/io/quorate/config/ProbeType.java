package io.quorate.config;

import java.util.Locale;

/** The kinds of target Quorate can probe; the YAML name is the lower-case constant name. */
public enum ProbeType {
  DNS,
  HTTP,
  TCP,
  TLS,
  SMTP,
  IMAP,
  POP3,
  MAILFLOW,
  /** Push check: the target pings Quorate; nothing is probed. */
  HEARTBEAT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a YAML/CLI name; returns {@code null} when unknown. */
  public static ProbeType parse(String s) {
    for (ProbeType t : values()) {
      if (t.wireName().equals(s)) {
        return t;
      }
    }
    return null;
  }
}
