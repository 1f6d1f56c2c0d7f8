package io.quorate.probe.mail;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The unread bytes of one {@link LineSession}, in a fixed array of {@link LineSession#MAX_BUFFERED}
 * bytes: appending checks the line and buffer caps, taking cuts lines (LF, a preceding CR dropped)
 * or a greeting prefix, decoded as ISO-8859-1 so that any byte sequence is a string.
 */
final class LineBuffer {
  /** Inspects the unread bytes; returns a result, or null when it needs more. */
  @FunctionalInterface
  interface Reader {
    String take(boolean lastChance);
  }

  private final byte[] buf = new byte[LineSession.MAX_BUFFERED];
  private int head;
  private int tail;

  /**
   * Appends as much of {@code data} as fits (compacting first if needed) and returns a PROTOCOL
   * failure when a line, complete or not, exceeds {@link LineSession#MAX_LINE} bytes or bytes had
   * to be dropped; null otherwise.
   */
  RuntimeException append(Buffer data) {
    if (tail + data.length() > buf.length && head > 0) {
      System.arraycopy(buf, head, buf, 0, tail - head);
      tail -= head;
      head = 0;
    }
    int n = Math.min(data.length(), buf.length - tail);
    data.getBytes(0, n, buf, tail);
    tail += n;
    return overflow(n < data.length());
  }

  /** Bytes received and not taken yet. */
  int unread() {
    return tail - head;
  }

  /** Drops every unread byte; returns how many there were. */
  int discard() {
    int n = tail - head;
    head = tail;
    return n;
  }

  /** The next whole line without its line end, or null if no LF arrived yet. */
  String takeLine() {
    int lf = indexOfLf();
    if (lf < 0) {
      return null;
    }
    int end = lf > head && buf[lf - 1] == '\r' ? lf - 1 : lf;
    String line = new String(buf, head, end - head, StandardCharsets.ISO_8859_1);
    head = lf + 1;
    return line;
  }

  /**
   * The start of a greeting (see {@link LineSession#readGreeting}): a whole text line, {@link
   * LineSession#MAX_LINE} bytes, whatever arrived when {@code last}, or the unread bytes as soon as
   * {@code done} accepts them; null when more is needed.
   */
  String takeGreeting(Predicate<String> done, boolean last) {
    int lf = indexOfLf();
    boolean textLine = lf >= 0 && isText(head, lf);
    int end = textLine ? lf : Math.min(tail, head + LineSession.MAX_LINE);
    String text = new String(buf, head, end - head, StandardCharsets.ISO_8859_1);
    boolean complete = textLine || end - head >= LineSession.MAX_LINE || (last && end > head);
    if (complete || (end > head && done.test(text))) {
      head = textLine ? lf + 1 : end;
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
    return null;
  }

  private boolean isText(int from, int to) {
    for (int i = from; i < to; i++) {
      int b = buf[i] & 0xff;
      if (b < 0x20 && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private int indexOfLf() {
    for (int i = head; i < tail; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** A PROTOCOL failure when a line (complete or not) exceeds the cap or data was dropped. */
  private RuntimeException overflow(boolean truncated) {
    int max = LineSession.MAX_LINE;
    int start = head;
    for (int i = head; i < tail; i++) {
      if (buf[i] == '\n') {
        if (i - start > max + 1) {
          break;
        }
        start = i + 1;
      }
    }
    // after a break, start is the too-long line; otherwise the unfinished last line
    if (tail - start > max + 1) {
      return ProbeFailure.protocol("line longer than " + max + " bytes");
    }
    return truncated
        ? ProbeFailure.protocol(
            "more than " + LineSession.MAX_BUFFERED + " unread bytes from the server")
        : null;
  }
}
