package io.quorate.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A deliberately plain blocking client for the bad-input tests (test thread only, never an event
 * loop): raw bytes out, CRLF lines in, and a JSSE TLS upgrade that verifies the demo CA and the
 * host name itself, independently of Quorate's probes. Every read has a 5 s socket timeout.
 */
final class RawClient implements AutoCloseable {
  static final int READ_TIMEOUT_MS = 5_000;
  private static final int MAX_LINE = 64 * 1024;

  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** One line without CRLF, or null at the end of the stream. */
  String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      if (b.size() >= MAX_LINE) {
        throw new IOException("line longer than " + MAX_LINE);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Exactly {@code n} bytes (at most 64 KiB). */
  String bytes(int n) throws IOException {
    if (n > MAX_LINE) {
      throw new IOException("refusing to read " + n + " bytes");
    }
    return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
  }

  /** Everything until the server closes (a reset counts as closed); fails on a read timeout. */
  String rest() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        b.write(buf, 0, n);
        if (b.size() > MAX_LINE) {
          throw new IOException("more than " + MAX_LINE + " bytes before the end");
        }
      }
    } catch (SocketException reset) {
      // the server closed with unread data pending: the end as well
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Upgrades to TLS, trusting only {@code caFile} and checking that the certificate is for name.
   */
  void startTls(Path caFile, String name) throws Exception {
    SSLSocket tls =
        (SSLSocket)
            trusting(caFile).getSocketFactory().createSocket(socket, name, socket.getPort(), true);
    SSLParameters p = tls.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(p);
    tls.setSoTimeout(READ_TIMEOUT_MS);
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream ca = java.nio.file.Files.newInputStream(caFile)) {
      ks.setCertificateEntry(
          "demo-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
