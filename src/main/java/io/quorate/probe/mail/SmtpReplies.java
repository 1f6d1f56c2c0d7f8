package io.quorate.probe.mail;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SMTP reply reading (RFC 5321 §4.2): {@code NNN-text} lines, then one {@code NNN text}; the text
 * is optional ({@code Reply-code [ SP textstring ] CRLF}), so a bare {@code NNN} is a whole line.
 */
final class SmtpReplies {
  private SmtpReplies() {}

  static Future<List<String>> read(LineSession s, long deadlineNanos, String waiting) {
    return next(s, new ArrayList<>(), deadlineNanos, waiting);
  }

  private static Future<List<String>> next(
      LineSession s, List<String> lines, long deadline, String waiting) {
    long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    return s.readLine(left, waiting)
        .compose(
            line -> {
              if (!wellFormed(line)
                  || !lines.isEmpty() && !line.startsWith(lines.get(0).substring(0, 3))) {
                return Future.failedFuture(
                    ProbeFailure.protocol("malformed SMTP reply line: " + LineRun.clip(line)));
              }
              lines.add(line);
              if (line.length() == 3 || line.charAt(3) == ' ') {
                return Future.succeededFuture(lines);
              }
              if (lines.size() >= LineSession.MAX_REPLY_LINES) {
                return Future.failedFuture(
                    ProbeFailure.protocol(
                        "SMTP reply longer than " + LineSession.MAX_REPLY_LINES + " lines"));
              }
              return next(s, lines, deadline, waiting);
            });
  }

  private static boolean wellFormed(String line) {
    if (line.length() < 3 || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
      return false;
    }
    return line.charAt(0) >= '2'
        && line.charAt(0) <= '5'
        && Character.isDigit(line.charAt(1))
        && Character.isDigit(line.charAt(2));
  }

  /** The reply code of a parsed reply. */
  static int code(List<String> reply) {
    return Integer.parseInt(reply.get(0).substring(0, 3));
  }

  /**
   * The text after the code of one reply line ({@code "250-8BITMIME"} → {@code "8BITMIME"}), empty
   * for a bare code.
   */
  static String text(String line) {
    return line.length() > 4 ? line.substring(4) : "";
  }

  /** The text of the last line, e.g. {@code "454 4.7.0 TLS not available"} → the whole line. */
  static String summary(List<String> reply) {
    return LineRun.clip(reply.get(reply.size() - 1));
  }
}
