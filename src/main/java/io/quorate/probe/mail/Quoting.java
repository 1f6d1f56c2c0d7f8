package io.quorate.probe.mail;

/** Quoting of user-supplied strings inside protocol command lines. */
final class Quoting {
  private Quoting() {}

  /**
   * An IMAP quoted string (RFC 9051 §4.3: {@code "} and {@code \} escaped), or {@code null} when
   * the value cannot be quoted safely (CR, LF or NUL would end or corrupt the command line).
   */
  static String imapQuoted(String s) {
    if (!isLineSafe(s)) {
      return null;
    }
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** True when {@code s} can be sent inside one command line (no CR, LF or NUL). */
  static boolean isLineSafe(String s) {
    return s != null && s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0;
  }
}
