package io.quorate.probe.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent, blocking IMAP client for the tests (test threads only, never an event loop):
 * plaintext LOGIN to the lab's Dovecot (which allows it), then searches and APPENDs in one mailbox.
 * It checks what the probe left behind, and plants old leftovers, without the probe's own code.
 */
final class MailboxPeek implements AutoCloseable {
  private static final int TIMEOUT_MS = 5_000;
  private static final int MAX_LINES = 1_000;

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private int tag;

  MailboxPeek(int port, String user, String password) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
      in.readLine(); // greeting
      command("LOGIN \"" + user + "\" \"" + password + "\"");
      command("SELECT INBOX");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** UIDs of messages whose X-Quorate-Probe header contains {@code part} ("" = any). */
  List<String> tagged(String part) {
    List<String> uids = new ArrayList<>();
    command("NOOP");
    for (String line : command("UID SEARCH HEADER X-Quorate-Probe \"" + part + "\"")) {
      if (line.startsWith("* SEARCH")) {
        for (String t : line.substring(8).trim().split(" +")) {
          if (!t.isEmpty()) {
            uids.add(t);
          }
        }
      }
    }
    return uids;
  }

  /** APPENDs a tagged message with the given internal date (RFC 9051 §6.3.12). */
  void append(String headerValue, String internalDate) {
    String msg =
        "From: old@example.test\r\nSubject: leftover\r\nX-Quorate-Probe: "
            + headerValue
            + "\r\n\r\nold\r\n";
    byte[] bytes = msg.getBytes(StandardCharsets.ISO_8859_1);
    String t = "p" + (++tag);
    try {
      write(t + " APPEND INBOX \"" + internalDate + "\" {" + bytes.length + "}\r\n");
      String cont = in.readLine();
      if (cont == null || !cont.startsWith("+")) {
        throw new IllegalStateException("APPEND not accepted: " + cont);
      }
      out.write(bytes);
      write("\r\n");
      untilTagged(t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> command(String cmd) {
    String t = "p" + (++tag);
    try {
      write(t + " " + cmd + "\r\n");
      return untilTagged(t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> untilTagged(String t) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < MAX_LINES; i++) {
      String line = in.readLine();
      if (line == null) {
        throw new IllegalStateException("connection closed; got " + lines);
      }
      if (line.startsWith(t + " ")) {
        if (!line.startsWith(t + " OK")) {
          throw new IllegalStateException("IMAP said: " + line);
        }
        return lines;
      }
      lines.add(line);
    }
    throw new IllegalStateException("no tagged reply after " + MAX_LINES + " lines");
  }

  private void write(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() {
    try {
      command("LOGOUT");
    } catch (RuntimeException e) {
      // closing anyway
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
