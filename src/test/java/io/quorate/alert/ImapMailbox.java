package io.quorate.alert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads messages back from the Dovecot lab over IMAP4rev1 (RFC 3501): LOGIN, SELECT, UID SEARCH
 * HEADER, UID FETCH BODY.PEEK[]. A deliberately small blocking client for the test thread (never an
 * event loop); every read has a socket timeout and every response a size bound.
 */
final class ImapMailbox {
  private static final int MAX_MESSAGE = 1 << 20;
  private static final Pattern LITERAL = Pattern.compile("\\{(\\d{1,7})\\}$");

  private final int port;
  private final String user;
  private final String password;

  ImapMailbox(int port, String user, String password) {
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /**
   * Waits (polling the mail server, up to {@code limit}) until messages whose {@code header}
   * contains {@code value} are in INBOX, and returns them raw; an empty list after the limit.
   */
  List<String> await(String header, String value, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    List<String> found = search(header, value);
    while (found.isEmpty() && System.nanoTime() < deadline) {
      pause(); // polling a child daemon's delivery, not synchronising our own code
      found = search(header, value);
    }
    return found;
  }

  /** The raw messages in INBOX whose {@code header} contains {@code value}. */
  List<String> search(String header, String value) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(5_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      line(in); // greeting
      command(in, out, "a1", "LOGIN " + quote(user) + " " + quote(password));
      command(in, out, "a2", "SELECT INBOX");
      List<String> uids = new ArrayList<>();
      for (String l : command(in, out, "a3", "UID SEARCH HEADER " + header + " " + quote(value))) {
        if (l.startsWith("* SEARCH")) {
          for (String uid : l.substring("* SEARCH".length()).trim().split(" ")) {
            if (!uid.isEmpty()) {
              uids.add(uid);
            }
          }
        }
      }
      List<String> messages = new ArrayList<>();
      for (String uid : uids) {
        messages.add(fetch(in, out, uid));
      }
      command(in, out, "a9", "LOGOUT");
      return messages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fetch(InputStream in, OutputStream out, String uid) throws IOException {
    send(out, "f" + uid + " UID FETCH " + uid + " BODY.PEEK[]");
    String message = null;
    for (int i = 0; i < 100; i++) {
      String l = line(in);
      Matcher m = LITERAL.matcher(l);
      if (l.startsWith("* ") && m.find()) {
        int n = Integer.parseInt(m.group(1));
        if (n > MAX_MESSAGE) {
          throw new IOException("message too large: " + n);
        }
        message = new String(in.readNBytes(n), StandardCharsets.UTF_8);
      } else if (l.startsWith("f" + uid + " ")) {
        expectOk(l);
        return message;
      }
    }
    throw new IOException("no end of FETCH");
  }

  private static List<String> command(InputStream in, OutputStream out, String tag, String cmd)
      throws IOException {
    send(out, tag + " " + cmd);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String l = line(in);
      if (l.startsWith(tag + " ")) {
        expectOk(l);
        return lines;
      }
      lines.add(l);
    }
    throw new IOException("no tagged reply to " + tag);
  }

  private static void expectOk(String tagged) throws IOException {
    if (!tagged.split(" ", 3)[1].equals("OK")) {
      throw new IOException("IMAP: " + tagged);
    }
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0 || b.size() > 64 * 1024) {
        throw new IOException("IMAP line ended early or too long");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
